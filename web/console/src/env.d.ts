// Declarations for what the bundler provides.
declare module "*.css";
/** The URL of MapLibre's worker file in the bundle (set by build.mjs). */
declare const MAPLIBRE_WORKER_URL: string;
