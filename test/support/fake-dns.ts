/**
 * A minimal DNS server on 127.0.0.1 (UDP) answering A queries from a table the test changes, the way
 * a container engine's DNS answers for a service name as replicas come and go. Unknown names: NXDOMAIN.
 */
import { createSocket } from 'node:dgram';
import type { AddressInfo } from 'node:net';

export interface FakeDns {
  /** host:port, for nginx's `resolver`. */
  address: string;
  /** name → IPv4 addresses; change it at any time. */
  records: Map<string, string[]>;
  queries: number;
  close(): Promise<void>;
}

export async function startFakeDns(): Promise<FakeDns> {
  const socket = createSocket('udp4');
  const dns: FakeDns = {
    address: '',
    records: new Map(),
    queries: 0,
    close: () => new Promise((resolve) => socket.close(() => resolve())),
  };
  socket.on('message', (query, peer) => {
    dns.queries += 1;
    // Header (12 bytes), then one question: labels, 0, QTYPE, QCLASS.
    let offset = 12;
    const labels: string[] = [];
    while (offset < query.length && query[offset] !== 0) {
      const length = query[offset] as number;
      labels.push(query.subarray(offset + 1, offset + 1 + length).toString('ascii'));
      offset += 1 + length;
    }
    const questionEnd = offset + 5;
    const qtype = query.readUInt16BE(offset + 1);
    const addresses = dns.records.get(labels.join('.').toLowerCase());
    const answers = qtype === 1 && addresses ? addresses : [];
    const header = Buffer.alloc(12);
    query.copy(header, 0, 0, 2); // id
    header.writeUInt16BE(addresses ? 0x8180 : 0x8183, 2); // response, recursion available; NXDOMAIN
    header.writeUInt16BE(1, 4);
    header.writeUInt16BE(answers.length, 6);
    const records = answers.map((ip) => {
      const record = Buffer.alloc(16);
      record.writeUInt16BE(0xc00c, 0); // the name of the question
      record.writeUInt16BE(1, 2); // A
      record.writeUInt16BE(1, 4); // IN
      record.writeUInt32BE(1, 6); // TTL 1 s
      record.writeUInt16BE(4, 10);
      ip.split('.').forEach((part, i) => record.writeUInt8(Number(part), 12 + i));
      return record;
    });
    socket.send(
      Buffer.concat([header, query.subarray(12, questionEnd), ...records]),
      peer.port,
      peer.address,
    );
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  dns.address = `127.0.0.1:${(socket.address() as AddressInfo).port}`;
  return dns;
}
