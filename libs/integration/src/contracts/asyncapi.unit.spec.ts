import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from '@jest/globals';
import { load } from 'js-yaml';
import type { RecordedEvent } from '#libs/event-store';
import { repoRoot } from '#libs/testing';
import { cloudEventHeaders } from '../relay/cloud-event-headers.js';
import { sampleAppends } from '../translation/domain-event-samples.js';
import { translate } from '../translation/translate.js';
import { MESSAGE_CONTRACTS, TOPICS } from './catalogue.js';
import { SchemaValidator } from './validation.js';

type Node = { [key: string]: unknown };
const isNode = (value: unknown): value is Node => typeof value === 'object' && value !== null && !Array.isArray(value);

const docFile = path.join(repoRoot, 'docs', 'asyncapi.yaml');
const doc = load(readFileSync(docFile, 'utf8')) as Node;

const pointer = (ref: string): unknown =>
  ref
    .replace(/^#\//, '')
    .split('/')
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce<unknown>((node, part) => (isNode(node) ? node[part] : undefined), doc);

/** A $ref to a file next to the document, read as JSON; a local '#/…' ref followed inside the document. */
const resolve = (ref: string): unknown =>
  ref.startsWith('#/')
    ? pointer(ref)
    : (JSON.parse(readFileSync(path.resolve(path.dirname(docFile), ref), 'utf8')) as unknown);

const deref = (node: unknown): Node => {
  const target = isNode(node) && typeof node.$ref === 'string' ? resolve(node.$ref) : node;
  assert.ok(isNode(target), `${JSON.stringify(node)} resolves to an object`);
  return target;
};

const allRefs = (node: unknown, found: string[] = []): string[] => {
  if (Array.isArray(node)) for (const item of node) allRefs(item, found);
  else if (isNode(node)) {
    if (typeof node.$ref === 'string') found.push(node.$ref);
    for (const value of Object.values(node)) allRefs(value, found);
  }
  return found;
};

const section = (name: string): Node => {
  const value = doc[name];
  assert.ok(isNode(value), `${name} is an object`);
  return value;
};
const channels = section('channels');
const operations = section('operations');
const components = section('components');

const channelOf = (topic: string): [string, Node] => {
  const found = Object.entries(channels).find(([, channel]) => isNode(channel) && channel.address === topic);
  assert.ok(found && isNode(found[1]), `a channel with address ${topic}`);
  return [found[0], found[1]];
};
const messagesOf = (channel: Node): Node[] =>
  Object.values(isNode(channel.messages) ? channel.messages : {}).map(deref);
const payloadSchemaOf = (message: Node): Node => deref(deref(message.payload).schema);

describe('docs/asyncapi.yaml', () => {
  it('is an AsyncAPI 3.0 document with info, servers, channels, operations and components', () => {
    assert.equal(doc.asyncapi, '3.0.0');
    const info = section('info');
    assert.equal(typeof info.title, 'string');
    assert.equal(typeof info.version, 'string');
    for (const server of Object.values(section('servers'))) {
      assert.ok(isNode(server) && typeof server.host === 'string' && server.protocol === 'kafka');
    }
  });

  it('uses component keys AsyncAPI allows', () => {
    const keys = [channels, operations, ...Object.values(components).filter(isNode)].flatMap(Object.keys);
    assert.deepEqual(
      keys.filter((key) => !/^[a-zA-Z0-9.\-_]+$/.test(key)),
      [],
    );
  });

  it('has every $ref resolve, local or to a schema file', () => {
    const broken = allRefs(doc).filter((ref) => {
      try {
        return resolve(ref) === undefined;
      } catch {
        return true;
      }
    });
    assert.deepEqual(broken, []);
  });

  it('gives every channel an address and every operation an action on a channel with that channel’s messages', () => {
    for (const [name, channel] of Object.entries(channels)) {
      assert.ok(isNode(channel) && typeof channel.address === 'string', `channel ${name} has an address`);
    }
    for (const [name, operation] of Object.entries(operations)) {
      assert.ok(isNode(operation), name);
      assert.ok(operation.action === 'send' || operation.action === 'receive', `${name} action`);
      const channelRef = isNode(operation.channel) ? String(operation.channel.$ref) : '';
      assert.match(channelRef, /^#\/channels\/[^/]+$/, `${name} refers to a channel`);
      assert.ok(isNode(resolve(channelRef)), `${name}: ${channelRef} exists`);
      for (const message of Array.isArray(operation.messages) ? operation.messages : []) {
        const ref = isNode(message) ? String(message.$ref) : '';
        assert.ok(ref.startsWith(`${channelRef}/messages/`), `${name}: ${ref} is one of its channel's messages`);
        assert.ok(isNode(resolve(ref)), `${name}: ${ref} exists`);
      }
    }
  });

  it('lists every outbound topic and message type the code has, and none it lacks', () => {
    for (const topic of Object.values(TOPICS)) {
      const [, channel] = channelOf(topic);
      const inDoc = messagesOf(channel).map((m) => m.name);
      const inCode = MESSAGE_CONTRACTS.filter((c) => c.topic === topic).map((c) => c.type);
      assert.deepEqual([...inDoc].sort(), [...inCode].sort(), topic);
    }
  });

  it('refers to the very schema files the relay validates with', () => {
    for (const contract of MESSAGE_CONTRACTS) {
      const [, channel] = channelOf(contract.topic);
      const message = messagesOf(channel).find((m) => m.name === contract.type);
      assert.ok(message, contract.type);
      const payload = deref(message.payload);
      assert.equal(payload.schemaFormat, 'application/schema+json;version=draft-07');
      const ref = isNode(payload.schema) ? String(payload.schema.$ref) : '';
      assert.equal(path.relative(repoRoot, path.resolve(path.dirname(docFile), ref)), contract.schemaFile);
      assert.deepEqual(payloadSchemaOf(message), contract.schema);
    }
  });

  it('validates every message the relay can emit, body and headers, against the document’s schemas', () => {
    const schemas: [string, object][] = MESSAGE_CONTRACTS.map((contract) => {
      const message = messagesOf(channelOf(contract.topic)[1]).find((m) => m.name === contract.type);
      assert.ok(message, contract.type);
      return [contract.type, payloadSchemaOf(message)];
    });
    const headers = deref(isNode(components.schemas) ? components.schemas.cloudEventHeaders : undefined);
    const validator = new SchemaValidator([...schemas, ['headers', headers]]);
    const emitted = sampleAppends('trondheim', 7).flatMap(({ streamName, events }) =>
      events.flatMap((event, streamRevision) =>
        translate({ ...event, streamName, streamRevision, position: 1n, recordedAt: new Date() } as RecordedEvent),
      ),
    );
    assert.equal(new Set(emitted.map((m) => m.type)).size, MESSAGE_CONTRACTS.length);
    for (const message of emitted) {
      assert.equal(validator.errors(message.type, message.body), undefined, message.type);
      const text = Object.fromEntries(Object.entries(cloudEventHeaders(message)).map(([k, v]) => [k, String(v)]));
      assert.equal(validator.errors('headers', text), undefined, `${message.type} headers`);
    }
  });

  it('documents the inbound address-change topic and its dead-letter topic', () => {
    const [, inbound] = channelOf('folkeregister.address-changed.v1');
    assert.equal(
      payloadSchemaOf(messagesOf(inbound)[0] ?? {}).$id,
      'urn:kulturskole:schema:folkeregister:address-changed:v1',
    );
    channelOf('folkeregister.address-changed.v1.dlq');
  });
});
