/** The links a subscriber gets, signed with their own token key: one definition for every email and page. */
import { signToken, type TokenSubject } from './tokens.js';

interface LinkSettings {
  env: { PUBLIC_URL: string };
  secretKey: string;
}

/** The one-click unsubscribe link; without a subscriber (a sample copy), the page that asks. */
export function unsubscribeUrl(site: LinkSettings, subscriber: TokenSubject | undefined): string {
  const base = `${site.env.PUBLIC_URL}/unsubscribe`;
  return subscriber === undefined ? base : `${base}?token=${signToken(site.secretKey, 'unsubscribe', subscriber)}`;
}

export const confirmUrl = (site: LinkSettings, token: string) => `${site.env.PUBLIC_URL}/confirm?token=${token}`;
