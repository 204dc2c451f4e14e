// Starts Swagger UI on Phare's own OpenAPI document. Kept out of the HTML page so the page
// needs no inline script under the Content-Security-Policy. Nothing is fetched from outside:
// the validator badge (which would call a third-party server) is turned off.
(function () {
  "use strict";
  function start() {
    window.ui = window.SwaggerUIBundle({
      url: new URL("v1/openapi.json", window.location.href).toString(),
      dom_id: "#swagger-ui",
      deepLinking: true,
      validatorUrl: null,
      presets: [window.SwaggerUIBundle.presets.apis],
      layout: "BaseLayout",
      tryItOutEnabled: false,
      persistAuthorization: false
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
