/** Fastify as every part of the site needs it: socket limits, proxy trust, body parsers, security headers. */
import { createServer } from 'node:http';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Context } from '../shared/context.js';
import { limitConnectionsPerClient } from './connections.js';
import { SECURITY_HEADERS } from './security.js';

/**
 * Slow clients cannot hold sockets: header, whole-request, idle and keep-alive limits, a connection cap,
 * and a share of it per client. 75 new trickling connections a second hold at most 75 x 5 s of the
 * 1,000; one client holds at most 32. Requests per socket are not capped (past a cap Node answers 503).
 */
export const TIMEOUTS = {
  connectionTimeout: 10_000,
  headersTimeout: 5_000,
  requestTimeout: 15_000,
  keepAliveTimeout: 5_000,
  maxConnections: 1_000,
  connectionsPerClient: 32,
};

/** Fastify with socket limits, proxy trust as configured, body parsers and security headers. */
export function createApp(ctx: Context, limits: typeof TIMEOUTS): FastifyInstance {
  const trust = ctx.env.TRUST_PROXY;
  // A hop count trusts that many proxies in front: the client is the address they reported before them.
  const trustProxy = typeof trust === 'number' ? (_address: string, hop: number) => hop < trust : trust;
  const app = Fastify({
    logger: false,
    bodyLimit: 16 * 1024,
    trustProxy,
    // Node checks request deadlines every connectionsCheckingInterval (30 s by default): check often
    // enough that a trickled body is cut off close to requestTimeout.
    serverFactory: (handler) => {
      const server = createServer(
        {
          requestTimeout: limits.requestTimeout,
          headersTimeout: Math.min(limits.headersTimeout, limits.requestTimeout),
          connectionsCheckingInterval: Math.min(1000, limits.headersTimeout / 2, limits.requestTimeout / 2),
        },
        handler,
      );
      server.timeout = limits.connectionTimeout;
      server.keepAliveTimeout = limits.keepAliveTimeout;
      server.maxConnections = limits.maxConnections;
      // Behind a proxy every socket is the proxy's: the proxy, which sees the clients, limits them.
      if (!trust) limitConnectionsPerClient(server, limits.connectionsPerClient);
      return server;
    },
  });
  addBodyParsers(app);
  // A route may set its own (the desk's framed preview loosens frame-ancestors to 'self'); every other answer gets these.
  app.addHook('onSend', async (_req, reply) => {
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) if (!reply.hasHeader(name)) reply.header(name, value);
  });
  return app;
}

function addBodyParsers(app: FastifyInstance): void {
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(body as string)));
  });
  // RFC 8058 one-click posts may come as multipart/form-data or anything else; no route reads such a body.
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, _body, done) => done(null, {}));
  // An empty JSON body (a bare POST /admin/send) is an empty object, not an error.
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => {
    try {
      done(null, (body as string).trim() === '' ? {} : JSON.parse(body as string));
    } catch {
      done(Object.assign(new Error('the body is not valid JSON'), { statusCode: 400 }), undefined);
    }
  });
}
