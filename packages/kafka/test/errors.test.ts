import { isEvrouteError } from '@evroute/core';
import kafkajs from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { classifyKafkaError, kafkaError, kafkaErrors, toKafkaError } from '../src/errors.js';

const { KafkaJSProtocolError, KafkaJSConnectionError, KafkaJSNumberOfRetriesExceeded, KafkaJSNonRetriableError } =
  kafkajs;

/** A protocol error as kafkajs builds it from a broker error code. */
const protocol = (type: string, retriable: boolean): Error =>
  new KafkaJSProtocolError(Object.assign(new Error(type), { type, code: 0, retriable }));

describe('kafka error catalogue', () => {
  it('every code follows EVR_ERR_KAFKA_<WHAT> and says what it means', () => {
    for (const [code, entry] of Object.entries(kafkaErrors)) {
      expect(code).toMatch(/^EVR_ERR_KAFKA_[A-Z_]+$/);
      expect(entry.text.length).toBeGreaterThan(10);
    }
  });

  it('kafkaError uses the catalogue flag unless told otherwise', () => {
    expect(kafkaError('EVR_ERR_KAFKA_CONNECT', 'x').retriable).toBe(true);
    expect(kafkaError('EVR_ERR_KAFKA_AUTH', 'x').retriable).toBe(false);
    expect(kafkaError('EVR_ERR_KAFKA_AUTH', 'x', { retriable: true }).retriable).toBe(true);
  });
});

describe('classifyKafkaError (the driver table)', () => {
  it.each([
    ['REBALANCE_IN_PROGRESS', true, 'EVR_ERR_KAFKA_REBALANCING', true],
    ['UNKNOWN_TOPIC_OR_PARTITION', true, 'EVR_ERR_KAFKA_TOPIC_NOT_FOUND', true],
    ['NOT_LEADER_FOR_PARTITION', true, 'EVR_ERR_KAFKA_LEADER', true],
    ['MESSAGE_TOO_LARGE', false, 'EVR_ERR_KAFKA_MESSAGE_TOO_LARGE', false],
    ['TOPIC_AUTHORIZATION_FAILED', false, 'EVR_ERR_KAFKA_AUTHORIZATION', false],
    ['SASL_AUTHENTICATION_FAILED', false, 'EVR_ERR_KAFKA_AUTH', false],
    ['OUT_OF_ORDER_SEQUENCE_NUMBER', false, 'EVR_ERR_KAFKA_PRODUCER_FENCED', true],
    ['POLICY_VIOLATION', false, 'EVR_ERR_KAFKA_BROKER_REFUSED', false],
  ])('protocol error %s → %s', (type, clientFlag, code, retriable) => {
    expect(classifyKafkaError(protocol(type, clientFlag), 'EVR_ERR_KAFKA_UNKNOWN')).toEqual({ code, retriable });
  });

  it('maps kafkajs classes by name', () => {
    expect(classifyKafkaError(new KafkaJSConnectionError('down'), 'EVR_ERR_KAFKA_UNKNOWN')).toEqual({
      code: 'EVR_ERR_KAFKA_CONNECT',
      retriable: true,
    });
    expect(classifyKafkaError(Object.assign(new Error('bad password'), { name: 'KafkaJSSASLAuthenticationError' }), 'EVR_ERR_KAFKA_UNKNOWN').code).toBe('EVR_ERR_KAFKA_AUTH');
  });

  it('looks through retries-exceeded to the cause, and keeps exhausted retries retriable', () => {
    const wrapped = new KafkaJSNumberOfRetriesExceeded(new KafkaJSConnectionError('down'), { retryCount: 5, retryTime: 100 });
    expect(classifyKafkaError(wrapped, 'EVR_ERR_KAFKA_UNKNOWN')).toEqual({ code: 'EVR_ERR_KAFKA_CONNECT', retriable: true });
    const opaque = new KafkaJSNumberOfRetriesExceeded(new Error('weird'), { retryCount: 5, retryTime: 100 });
    expect(classifyKafkaError(opaque, 'EVR_ERR_KAFKA_PRODUCE_FAILED')).toEqual({ code: 'EVR_ERR_KAFKA_PRODUCE_FAILED', retriable: true });
  });

  it('falls back on the client flag, then on the fallback code', () => {
    expect(classifyKafkaError(new KafkaJSNonRetriableError('nope'), 'EVR_ERR_KAFKA_PRODUCE_FAILED')).toEqual({
      code: 'EVR_ERR_KAFKA_PRODUCE_FAILED',
      retriable: false,
    });
    expect(classifyKafkaError(new Error('plain'), 'EVR_ERR_KAFKA_COMMIT_FAILED')).toEqual({
      code: 'EVR_ERR_KAFKA_COMMIT_FAILED',
      retriable: true,
    });
  });

  it('toKafkaError wraps with cause and context, and passes coded errors through', () => {
    const original = new KafkaJSConnectionError('connect ECONNREFUSED');
    const coded = toKafkaError(original, 'EVR_ERR_KAFKA_UNKNOWN', { topic: 't' });
    expect(isEvrouteError(coded)).toBe(true);
    expect(coded.code).toBe('EVR_ERR_KAFKA_CONNECT');
    expect(coded.cause).toBe(original);
    expect(coded.context.topic).toBe('t');
    expect(coded.message).toContain('ECONNREFUSED');
    expect(toKafkaError(coded, 'EVR_ERR_KAFKA_UNKNOWN')).toBe(coded);
  });
});
