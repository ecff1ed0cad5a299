#!/usr/bin/env node
// The reference for `npm run bench`: a plain node:http server on the mongodb driver that
// makes the same database calls as the service, with none of its framework. Started by
// scripts/bench.js with RAW_PORT, MONGODB_URI, MASTER_DB_NAME, TENANT_DB_NAME, JWT_SECRET.
//   GET  /name/org/get?organization_name=  today's query: organizations.findOne({name, status})
//   GET  /key/org/get?organization_name=   the key lookups: the name claim, then the organization
//   GET  /org/records/:id                  bearer check (HS256 + the admin by _id), the record
//   POST /org/records                      bearer check, then insertOne
'use strict';
/* global Buffer, URL */
const { createHmac, timingSafeEqual } = require('node:crypto');
const { createServer } = require('node:http');
// The mongodb driver itself, the copy Mongoose loads: the same driver version as the service.
const { MongoClient, ObjectId } = require('mongoose').mongo;

const env = process.env;
const SECRET = env.JWT_SECRET;

function send(response, status, body) {
  const json = JSON.stringify(body);
  response.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(json),
  });
  response.end(json);
}

/** HS256 signature and expiry; the claims, or undefined. */
function verify(header) {
  const token = /^Bearer (\S+)$/.exec(header ?? '')?.[1];
  const [head, payload, signature] = token?.split('.') ?? [];
  if (!signature) return undefined;
  const expected = createHmac('sha256', SECRET).update(`${head}.${payload}`).digest();
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  return claims.exp > Date.now() / 1000 ? claims : undefined;
}

function organizationBody(organization) {
  return {
    organization_id: organization._id.toString(),
    organization_name: organization.name,
    collection_name: organization.location.collectionName,
    status: organization.status,
    admin: { id: organization.adminId.toString() },
    created_at: organization.createdAt,
    updated_at: organization.updatedAt,
  };
}

function readBody(request) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    request.on('data', (chunk) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

async function main() {
  const client = await MongoClient.connect(env.MONGODB_URI);
  const master = client.db(env.MASTER_DB_NAME);
  const tenants = client.db(env.TENANT_DB_NAME);
  const organizations = master.collection('organizations');
  const names = master.collection('organization_names');
  const admins = master.collection('admins');
  /** Organization id → its collection: bound once, as the service's binding cache would. */
  const bindings = new Map();

  /** The token check the service makes: the admin by _id, its organization and version. */
  async function caller(request) {
    const claims = verify(request.headers.authorization);
    if (!claims) return undefined;
    const admin = await admins.findOne({ _id: new ObjectId(claims.sub) });
    if (!admin || admin.organizationId.toString() !== claims.org) return undefined;
    if (admin.tokenVersion !== claims.ver) return undefined;
    let collection = bindings.get(claims.org);
    if (!collection) {
      const organization = await organizations.findOne({ _id: new ObjectId(claims.org) });
      collection = tenants.collection(organization.location.collectionName);
      bindings.set(claims.org, collection);
    }
    return collection;
  }

  const routes = {
    async 'GET /name/org/get'(request, response, url) {
      const name = url.searchParams.get('organization_name');
      const organization = await organizations.findOne({ name, status: { $ne: 'creating' } });
      if (!organization) return send(response, 404, { statusCode: 404 });
      send(response, 200, organizationBody(organization));
    },
    async 'GET /key/org/get'(request, response, url) {
      const name = url.searchParams.get('organization_name');
      const claim = await names.findOne({ _id: name });
      const organization = claim && (await organizations.findOne({ _id: claim.organizationId }));
      if (!organization || organization.status === 'creating') {
        return send(response, 404, { statusCode: 404 });
      }
      send(response, 200, organizationBody(organization));
    },
    async 'GET /org/records'(request, response, url, id) {
      const collection = await caller(request);
      if (!collection) return send(response, 401, { statusCode: 401 });
      const record = await collection.findOne({ _id: new ObjectId(id) });
      if (!record) return send(response, 404, { statusCode: 404 });
      const { _id, createdAt, updatedAt, ...data } = record;
      send(response, 200, { id: _id, data, created_at: createdAt, updated_at: updatedAt });
    },
    async 'POST /org/records'(request, response) {
      const collection = await caller(request);
      if (!collection) return send(response, 401, { statusCode: 401 });
      const data = JSON.parse(await readBody(request));
      const now = new Date();
      const { insertedId } = await collection.insertOne({
        ...data,
        createdAt: now,
        updatedAt: now,
      });
      send(response, 201, { id: insertedId, data, created_at: now, updated_at: now });
    },
  };

  const server = createServer((request, response) => {
    const url = new URL(request.url, 'http://127.0.0.1');
    const [, first, second, third] = url.pathname.split('/');
    const base = first === 'org' && second === 'records' ? '/org/records' : url.pathname;
    const handler = routes[`${request.method} ${base}`];
    if (!handler) return send(response, 404, { statusCode: 404 });
    handler(request, response, url, third).catch((error) => {
      console.error(error);
      send(response, 500, { statusCode: 500 });
    });
  });
  server.listen(Number(env.RAW_PORT), '127.0.0.1');
  process.once('SIGTERM', () => process.exit(0));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
