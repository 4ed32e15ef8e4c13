import { describe, expect, it } from 'vitest';
import { originPattern } from './origin-pattern';

describe('originPattern', () => {
  it('matches every page of an origin without a port', () => {
    expect(originPattern('https://gp.example.nhs.uk')).toBe('https://gp.example.nhs.uk/*');
  });

  it('leaves the port out, which Firefox refuses in a pattern', () => {
    expect(originPattern('http://127.0.0.1:8451')).toBe('http://127.0.0.1/*');
    expect(originPattern('https://gp.example.nhs.uk:8443')).toBe('https://gp.example.nhs.uk/*');
  });

  it('keeps the brackets of an IPv6 address', () => {
    expect(originPattern('http://[::1]:8080')).toBe('http://[::1]/*');
  });

  it('gives every pattern one of the manifest’s optional host permissions covers', () => {
    const patterns = [
      'http://localhost:3000',
      'http://127.0.0.1:8451',
      'http://[::1]:9',
      'https://x.org:8443',
    ].map(originPattern);
    expect(patterns).toEqual([
      'http://localhost/*',
      'http://127.0.0.1/*',
      'http://[::1]/*',
      'https://x.org/*',
    ]);
  });
});
