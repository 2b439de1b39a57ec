/** The desk attacked over fastify's inject: what a stranger tries against its guard and the review links, refused. */
import { describe, expect, it } from 'vitest';
import { buildServer } from '../../src/web/server.js';
import { testContext } from '../helpers/context.js';
import { ADMIN_TOKEN, signIn } from '../helpers/desk.js';

describe('the desk under attack', () => {
  it('counts wrong bearer tokens against the sign-in limit, so a script cannot guess the admin token unthrottled', async () => {
    const app = buildServer(testContext({ ADMIN_TOKEN }), { subscribeLimit: { limit: 3, windowMs: 60_000 } });
    const codes = [];
    for (let i = 0; i < 5; i++) codes.push((await app.inject({ url: '/admin/list', headers: { authorization: `Bearer guess${i}` } })).statusCode);
    expect(codes).toEqual([401, 401, 401, 429, 429]);
    // Past the limit the right token is refused too: otherwise a 200 among the 429s would say which guess was right.
    expect((await app.inject({ url: '/admin/list', headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })).statusCode).toBe(429);
    // The same client's form is out of attempts too: one count for every way of guessing.
    expect((await signIn(app)).res.statusCode).toBe(429);
  });

  it('lets a script with the right bearer token through however many times it calls', async () => {
    const app = buildServer(testContext({ ADMIN_TOKEN }), { subscribeLimit: { limit: 2, windowMs: 60_000 } });
    for (let i = 0; i < 4; i++) expect((await app.inject({ url: '/admin/list', headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })).statusCode).toBe(200);
  });
});
