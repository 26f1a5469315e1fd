// Progressive enhancement only: every page works without this file.
// nhsuk-frontend 10.x ships an ES module that does not initialise itself. Its own page template
// marks support with an inline <script>, which our Content-Security-Policy forbids, so we add the
// same body classes here: a browser that runs this module supports what the components need.
import { initAll } from "../vendor/nhsuk-frontend/nhsuk-frontend.min.js";

document.body.classList.add("js-enabled", "nhsuk-frontend-supported");
initAll();
