// Which network interfaces exist on this host, read from /sys/class/net (includes interfaces
// without an address, which os.networkInterfaces() omits).
import { existsSync } from 'node:fs';

export interface HostInterfaces {
  exists(name: string): boolean;
}

export class SysfsHostInterfaces implements HostInterfaces {
  constructor(private readonly root = '/sys/class/net') {}

  exists(name: string): boolean {
    // Interface names never contain '/', and '.' / '..' are directories of their own.
    if (name.includes('/') || name === '.' || name === '..' || name === '') return false;
    return existsSync(`${this.root}/${name}`);
  }
}
