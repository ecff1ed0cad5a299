import type { NestExpressApplication } from '@nestjs/platform-express';
import { SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import type { Express } from 'express';

export const DOCS_PATH = '/docs';
export const DOCS_JSON_PATH = '/docs-json';

/**
 * Swagger UI's start-up script. The one @nestjs/swagger builds inlines the whole OpenAPI
 * document with `String.prototype.replace`, which expands `$'`, `$&` or `$$` in any
 * description as a replacement pattern and cuts the script. This one inlines nothing:
 * Swagger UI fetches the document from its JSON URL, so no text in it can reach a script.
 * validatorUrl is off, so the page never sends the document's URL to a third party.
 */
export const SWAGGER_UI_INIT_JS = `window.onload = function () {
  window.ui = SwaggerUIBundle({
    url: ${JSON.stringify(DOCS_JSON_PATH)},
    dom_id: '#swagger-ui',
    deepLinking: true,
    validatorUrl: null,
    presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
    plugins: [SwaggerUIBundle.plugins.DownloadUrl],
    layout: 'StandaloneLayout',
  });
};
`;

/**
 * Serves Swagger UI at /docs and the document at /docs-json. The page asks for its script
 * at /docs/swagger-ui-init.js, or /docs/docs/swagger-ui-init.js when opened as
 * /docs/index.html; both are answered here, before Nest's own routes for them.
 */
export function serveSwaggerUi(app: NestExpressApplication, document: OpenAPIObject): void {
  const http: Express = app.getHttpAdapter().getInstance();
  for (const path of [
    `${DOCS_PATH}/swagger-ui-init.js`,
    `${DOCS_PATH}${DOCS_PATH}/swagger-ui-init.js`,
  ]) {
    http.get(path, (_request, response) => {
      response.type('application/javascript').send(SWAGGER_UI_INIT_JS);
    });
  }
  SwaggerModule.setup(DOCS_PATH, app, document, { jsonDocumentUrl: DOCS_JSON_PATH });
}
