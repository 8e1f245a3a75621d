// The API on a Unix socket (MCR_HTTP_SOCKET): local control guarded by the file's mode and group
// instead of a TCP port. The socket file is created with no permissions for anyone but mcrd's user
// (umask) and only then given its configured mode and group, so it is never more open than asked.
// A socket file left by a crash is replaced; one another process still listens on is not.
import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, lstatSync, unlinkSync } from 'node:fs';
import type { Server } from 'node:http';
import { connect } from 'node:net';
import type { HttpSocketConfig } from '../config/config.types';

/** Listens on the socket; throws with a message naming MCR_HTTP_SOCKET(_GROUP) and the reason. */
export async function listenOnSocket(
  server: Pick<Server, 'listen' | 'once' | 'off'>,
  socket: HttpSocketConfig,
): Promise<void> {
  const gid = socket.group === undefined ? undefined : groupId(socket.group);
  await removeStaleSocket(socket.path);
  const umask = process.umask(0o177);
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(socket.path, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } finally {
    process.umask(umask);
  }
  chmodSync(socket.path, socket.mode);
  if (gid !== undefined) giveToGroup(socket, gid);
}

/**
 * A socket file nobody accepts on (the connect is refused) is a crashed mcrd's: removed. One that
 * accepts belongs to a running process, and anything that is not a socket is not mcrd's to delete.
 */
export async function removeStaleSocket(path: string): Promise<void> {
  let isSocket: boolean;
  try {
    isSocket = lstatSync(path).isSocket();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw err;
  }
  if (!isSocket) throw new Error(`MCR_HTTP_SOCKET ${path} exists and is not a socket; mcrd will not replace it`);
  if (await accepts(path)) {
    throw new Error(`MCR_HTTP_SOCKET ${path} is in use: another process (another mcrd?) listens on it`);
  }
  unlinkSync(path);
}

function accepts(path: string): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const probe = connect(path);
    probe.once('connect', () => {
      probe.destroy();
      resolve(true);
    });
    probe.once('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'ECONNREFUSED') resolve(false);
      else reject(new Error(`MCR_HTTP_SOCKET ${path} cannot be checked: ${err.message}`));
    });
  });
}

/** A numeric gid as it is; a name through the system's group database (getent: files, LDAP, ...). */
export function groupId(group: string): number {
  if (/^\d+$/.test(group)) return Number(group);
  let entry: string;
  try {
    entry = execFileSync('getent', ['group', group], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  } catch {
    throw new Error(`MCR_HTTP_SOCKET_GROUP '${group}' is not a group on this host`);
  }
  return Number(entry.split(':')[2]);
}

function giveToGroup(socket: HttpSocketConfig, gid: number): void {
  try {
    chownSync(socket.path, -1, gid);
  } catch (err) {
    throw new Error(
      `MCR_HTTP_SOCKET_GROUP '${socket.group}': cannot give ${socket.path} to it: ${(err as Error).message} ` +
        '(mcrd must be a member of that group, or root)',
    );
  }
}
