import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { Script, createContext } from 'node:vm';
import request from 'supertest';
import { DOCS_JSON_PATH, serveSwaggerUi } from './swagger-ui';

/** Every text that has broken an inlined script: replace patterns, template and tag ends. */
const HOSTILE = "keys must not start with '$' or $& or $$ or $` or ` or </script><script>";

@Module({})
class EmptyModule {}

describe('serveSwaggerUi', () => {
  let app: NestExpressApplication;
  let document: OpenAPIObject;

  beforeAll(async () => {
    app = await NestFactory.create<NestExpressApplication>(EmptyModule, { logger: false });
    document = SwaggerModule.createDocument(
      app,
      new DocumentBuilder().setTitle(HOSTILE).setDescription(HOSTILE).build(),
    );
    serveSwaggerUi(app, document);
    await app.init();
  });
  afterAll(() => app.close());

  it.each(['/docs/swagger-ui-init.js', '/docs/docs/swagger-ui-init.js'])(
    'serves %s as a script that parses and loads the document by URL',
    async (path) => {
      const response = await request(app.getHttpServer())
        .get(path)
        .expect(200)
        .expect('Content-Type', /javascript/);

      expect(response.text).not.toContain('$&');
      const bundle = jest.fn();
      const window: { onload?: () => void } = {};
      new Script(response.text).runInContext(
        createContext({
          window,
          SwaggerUIBundle: Object.assign(bundle, { presets: {}, plugins: {} }),
          SwaggerUIStandalonePreset: {},
        }),
      );
      window.onload!();
      expect(bundle).toHaveBeenCalledWith(
        expect.objectContaining({ url: DOCS_JSON_PATH, dom_id: '#swagger-ui', validatorUrl: null }),
      );
    },
  );

  it('serves the document unchanged at /docs-json', async () => {
    const response = await request(app.getHttpServer()).get(DOCS_JSON_PATH).expect(200);
    expect(response.body.info).toEqual(
      expect.objectContaining({ title: HOSTILE, description: HOSTILE }),
    );
    expect(response.body).toEqual(JSON.parse(JSON.stringify(document)));
  });
});
