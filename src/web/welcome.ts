/** The welcome email, sent once when an address is newly confirmed (config `welcomeEmail`). */
import type { Context } from '../shared/context.js';
import { composeMessage } from '../delivery/index.js';
import { renderTransactional } from '../render/index.js';
import { type TokenSubject, unsubscribeUrl } from '../subscribers/index.js';

/** A failure is logged, never thrown: the subscriber is confirmed either way. */
export async function sendWelcome(ctx: Context, subscriber: TokenSubject & { email: string }): Promise<void> {
  const mail = await renderTransactional(ctx.templatesDir, 'welcome', {
    title: ctx.config.title,
    tagline: ctx.config.tagline,
    email: subscriber.email,
    postalAddress: ctx.config.postalAddress,
    archiveUrl: `${ctx.env.PUBLIC_URL}/archive`,
    unsubscribeUrl: unsubscribeUrl(ctx, subscriber),
  });
  await ctx
    .transport()
    .send(await composeMessage({ from: ctx.sender, to: subscriber.email, ...mail, dkim: ctx.dkim }))
    .catch((error: Error) => ctx.log.error({ err: error.message }, 'welcome email failed'));
}
