/**
 * Whether and how an edition goes out: a pure decision from the situation, so every combination is a
 * row of a truth table (test/delivery/policy.test.ts) rather than a path through the job.
 */
export interface SendSituation {
  /** What was asked: the list, some addresses (`--to`), or nothing (`--dry-run`). */
  request: 'list' | 'adhoc' | 'dry-run';
  /** Has this edition's send to the list begun (and finished)? */
  started: boolean;
  completed: boolean;
  /** Guard findings on a freshly built edition (a started one was judged when it started). */
  dataIssues: number;
  demo: boolean;
  overSmtp: boolean;
  allowDemoData: boolean;
  confirmed: number;
  /** Mail goes to the outbox folder, not a server (a newcomer's first run). */
  outbox: boolean;
}

export type SendDecision =
  | { action: 'refuse'; because: 'already-sent' | 'in-progress' | 'data-issues' | 'demo-over-smtp' }
  | { action: 'dry-run' | 'adhoc' | 'sample' | 'nobody' | 'queue-and-send' };

export function decideSend(s: SendSituation): SendDecision {
  if (s.request === 'dry-run') return { action: 'dry-run' };
  if (s.request === 'list' && s.started) return { action: 'refuse', because: s.completed ? 'already-sent' : 'in-progress' };
  if (!s.started && s.dataIssues > 0) return { action: 'refuse', because: 'data-issues' };
  if (s.overSmtp && s.demo && !s.allowDemoData) return { action: 'refuse', because: 'demo-over-smtp' };
  if (s.request === 'adhoc') return { action: 'adhoc' };
  // An empty list over the outbox still shows a newcomer the email: one sample copy to the sender.
  if (s.confirmed === 0) return { action: s.outbox ? 'sample' : 'nobody' };
  return { action: 'queue-and-send' };
}
