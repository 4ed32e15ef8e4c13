// The "Send test message" check on the options page: a FHIR R4 message that reaches the link worker's
// endpoint exactly as a referral would (same method, headers and token) but that no receiver can take
// for one. It carries no patient, no ServiceRequest, and is labelled as test data twice over.

/** The HL7 security label for test data: https://terminology.hl7.org/CodeSystem-v3-ActReason.html#v3-ActReason-HTEST */
export const TEST_DATA_LABEL = {
  system: 'http://terminology.hl7.org/CodeSystem/v3-ActReason',
  code: 'HTEST',
  display: 'test health data',
} as const;

/** The event of a connection test: Linkwell's own code, so no receiver mistakes it for a referral. */
export const CONNECTION_TEST_EVENT = {
  system: 'https://linkwell.health/fhir/CodeSystem/message-events',
  code: 'connection-test',
  display: 'Linkwell connection test: not a referral',
} as const;

export interface TestMessageOptions {
  /** A fresh uuid: the Bundle identifier, and the X-Request-Id it is sent with. */
  id: string;
  /** A second uuid, for the MessageHeader's entry. */
  headerId: string;
  now: Date;
  software: { name: string; version: string };
  destinationEndpoint: string;
  sourceEndpoint: string;
  /** The practice sending it, so the receiver's staff know whom to call back. */
  practiceName?: string | undefined;
}

/**
 * A FHIR R4 message Bundle that tests the connection to a link worker's system.
 *
 * @example
 * connectionTestMessage({ id, headerId, now: new Date(), software: { name: 'Linkwell', version: '0.1.0' },
 *   destinationEndpoint: 'https://sp.example.org/fhir/$process-message', sourceEndpoint: 'chrome-extension://x/' })
 *   .meta.security[0].code // 'HTEST'
 */
export function connectionTestMessage(options: TestMessageOptions) {
  const from = options.practiceName ? ` from ${options.practiceName}` : '';
  return {
    resourceType: 'Bundle' as const,
    id: options.id,
    meta: { security: [{ ...TEST_DATA_LABEL }] },
    identifier: { system: 'urn:ietf:rfc:3986', value: `urn:uuid:${options.id}` },
    type: 'message' as const,
    timestamp: options.now.toISOString(),
    entry: [
      {
        fullUrl: `urn:uuid:${options.headerId}`,
        resource: {
          resourceType: 'MessageHeader' as const,
          id: options.headerId,
          meta: { security: [{ ...TEST_DATA_LABEL }] },
          text: {
            status: 'generated' as const,
            div:
              '<div xmlns="http://www.w3.org/1999/xhtml">TEST MESSAGE. This is a connection test sent by ' +
              `${escapeXml(options.software.name)}${escapeXml(from)}. It is not a referral: no action is needed.</div>`,
          },
          eventCoding: { ...CONNECTION_TEST_EVENT },
          destination: [{ endpoint: options.destinationEndpoint }],
          source: {
            name: options.software.name,
            software: options.software.name,
            version: options.software.version,
            endpoint: options.sourceEndpoint,
          },
        },
      },
    ],
  };
}

function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (char) => `&#${char.charCodeAt(0)};`);
}
