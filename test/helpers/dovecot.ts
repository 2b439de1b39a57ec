/**
 * A throwaway Dovecot IMAP server (Debian's dovecot-imapd) in a temporary folder on a free loopback
 * port: one user, a Maildir, plaintext login on loopback. As root it serves mail as "nobody"; as anyone
 * else, as that user. Messages are delivered by writing them into Maildir/new, as an MDA does.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { freePort } from './ports.js';
import { tempDir } from './context.js';

export const DOVECOT = '/usr/sbin/dovecot';
export const hasDovecot = existsSync(DOVECOT);

export interface Dovecot {
  url: string;
  deliver(name: string, raw: string): void;
  stop(): void;
}

export async function startDovecot(): Promise<Dovecot> {
  const dir = tempDir('marketwrap-imap-');
  const port = await freePort();
  const me = userInfo();
  const root = me.uid === 0;
  const [uid, gid] = root ? [65534, 65534] : [me.uid, me.gid];
  // Dovecot's auth and login processes run as their own users: they must reach the folder and the passwd file.
  chmodSync(dir, 0o755);
  for (const sub of ['run', 'state']) mkdirSync(join(dir, sub));
  const maildir = join(dir, 'mail', 'bounces');
  for (const sub of ['new', 'cur', 'tmp']) mkdirSync(join(maildir, sub), { recursive: true });
  writeFileSync(join(dir, 'passwd'), 'bounces:{PLAIN}secret\n', { mode: 0o644 });
  const config = `
base_dir = ${dir}/run
state_dir = ${dir}/state
log_path = ${dir}/dovecot.log
listen = 127.0.0.1
protocols = imap
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
mail_location = maildir:${dir}/mail/%u
default_internal_user = ${root ? 'dovecot' : me.username}
default_internal_group = ${root ? 'dovecot' : me.username}
default_login_user = ${root ? 'dovenull' : me.username}
first_valid_uid = 1
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u ${dir}/passwd
}
userdb {
  driver = static
  args = uid=${uid} gid=${gid} home=${dir}/mail/%u
}
service imap-login {
  chroot =
  inet_listener imap {
    address = 127.0.0.1
    port = ${port}
  }
  inet_listener imaps {
    port = 0
  }
}
service anvil {
  chroot =
}
`;
  writeFileSync(join(dir, 'dovecot.conf'), config);
  if (root) execFileSync('chown', ['-R', `${uid}:${gid}`, join(dir, 'mail')]);
  // Dovecot daemonizes: its stdio must not be our pipes, or this call would wait for the daemon.
  execFileSync(DOVECOT, ['-c', join(dir, 'dovecot.conf')], { stdio: 'ignore' });
  await waitForPort(port);
  // The daemon may listen a moment before it writes its pid file (seen on a loaded machine).
  const pidFile = join(dir, 'run', 'master.pid');
  for (let i = 0; i < 50 && !existsSync(pidFile); i++) await new Promise((r) => setTimeout(r, 100));
  // Read now: the temporary folder may be cleaned up before the server is stopped.
  const masterPid = Number(readFileSync(pidFile, 'utf8'));
  let n = 0;
  return {
    url: `imap://bounces:secret@127.0.0.1:${port}/INBOX`,
    deliver(name, raw) {
      const file = join(maildir, 'new', `${Date.now()}.${n++}.${name}`);
      writeFileSync(file, raw.replace(/\r?\n/g, '\r\n'));
      if (root) chownSync(file, uid, gid);
    },
    stop() {
      try {
        process.kill(masterPid, 'SIGTERM');
      } catch {
        // Already gone.
      }
    },
  };
}

async function waitForPort(port: number): Promise<void> {
  const { connect } = await import('node:net');
  for (let i = 0; i < 50; i++) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1', () => resolve(socket.end() !== undefined)).on('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`dovecot did not listen on ${port}`);
}
