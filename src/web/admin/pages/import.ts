/**
 * Importing addresses at the desk: paste a CSV (the formats `subscribers import` reads), see what would
 * happen (added, already on the list, refused and why), then confirm. The preview writes nothing; the
 * import is the CLI's, by the same service. Files past the form's limit go through the CLI.
 */
import { Readable } from 'node:stream';
import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { messageOf, UserError } from '../../../shared/errors.js';
import { readAddressesFrom } from '../../../subscribers/csv-import.js';
import type { SiteKit } from '../../kit.js';
import { deskView } from '../view.js';

/** What the form takes (pasted text, sent url-encoded); a bigger list goes through `marketwrap subscribers import`. */
export const IMPORT_LIMIT = 2 * 1024 * 1024;
const importBody = z.object({ csv: z.string().max(IMPORT_LIMIT) });
const REJECTIONS_SHOWN = 50;

export function importPages(kit: SiteKit): FastifyPluginAsync {
  const view = deskView(kit);
  const { ctx } = kit;
  const run = async (csv: string, dryRun: boolean) => ctx.subscribers.import(readAddressesFrom(Readable.from([csv]), 'the pasted CSV'), { dryRun });
  return async (app) => {
    app.get('/import', async (req, reply) => view(req, reply, 'desk-import', 'Import', {}));
    for (const [path, dryRun] of [
      ['/import/preview', true],
      ['/import', false],
    ] as const) {
      app.post(path, { bodyLimit: IMPORT_LIMIT + 64 * 1024 }, async (req, reply) => {
        const body = importBody.safeParse(req.body);
        if (!body.success || body.data.csv.trim() === '') return view(req, reply, 'desk-import', 'Import', { problem: 'Paste the CSV first.' }, 400);
        try {
          const report = await run(body.data.csv, dryRun);
          const rejected = report.rejected.slice(0, REJECTIONS_SHOWN);
          return view(req, reply, 'desk-import', 'Import', {
            report,
            rejected,
            moreRejected: report.rejected.length - rejected.length,
            preview: dryRun,
            done: !dryRun,
            csv: body.data.csv,
          });
        } catch (error) {
          if (error instanceof UserError) return view(req, reply, 'desk-import', 'Import', { problem: messageOf(error), csv: body.data.csv }, 400);
          throw error;
        }
      });
    }
  };
}
