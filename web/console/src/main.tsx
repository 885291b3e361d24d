// Starts the console: reads its settings from the gateway, then renders.
import { render } from "preact";
import "./styles.css";
import { App } from "./app";
import { loadConfig } from "./config";
import { interceptLinks } from "./router";

const root = document.getElementById("app")!;
interceptLinks(document.body);
loadConfig()
  .then(() => {
    root.textContent = "";
    render(<App />, root);
  })
  .catch((err: unknown) => {
    root.textContent = `The console could not start: ${err instanceof Error ? err.message : String(err)}`;
  });
