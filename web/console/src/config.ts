// The console's settings, from the gateway (GET /console/config.json).
import type { OidcSettings } from "./auth/oidc";

export type ConsoleConfig = {
  dev_mode: boolean;
  tile_url?: string;
  tile_attribution?: string;
  oidc?: OidcSettings;
  roles: string[];
};

let config: ConsoleConfig = { dev_mode: false, roles: [] };

export async function loadConfig(): Promise<ConsoleConfig> {
  const res = await fetch("/console/config.json", { headers: { Accept: "application/json" } });
  if (!res.ok) throw new Error(`the console's settings did not load (${res.status})`);
  config = (await res.json()) as ConsoleConfig;
  return config;
}

export const getConfig = () => config;
