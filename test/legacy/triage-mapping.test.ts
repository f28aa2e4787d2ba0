import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { legacyConfidenceScore, urgencyLevel } from '../../src/legacy/triage-mapping.ts';
import { TRIAGE_LEVELS } from '../../src/domain/triage.ts';
import { consultationType, priceForUrgency, severityFromConfidence } from '../support/backend-client.ts';

describe('triage → legacy confidence_score and urgency_level', () => {
  it('maps the emergency levels below the back end\'s 0.5 "critical" threshold', () => {
    expect(legacyConfidenceScore('emergency_ambulance', 0.95)).toBe(0.2);
    expect(legacyConfidenceScore('emergency', 0.95)).toBe(0.3);
    expect(severityFromConfidence(legacyConfidenceScore('emergency', 0.99))).toBe('critical');
  });

  it('keeps consultation_24 in the "low" band (0.50–0.69) whatever the probability', () => {
    expect(legacyConfidenceScore('consultation_24', 0.05)).toBe(0.5);
    expect(legacyConfidenceScore('consultation_24', 0.62)).toBe(0.62);
    expect(legacyConfidenceScore('consultation_24', 0.97)).toBe(0.69);
  });

  it('uses the top probability for routine levels, never below 0.5', () => {
    expect(legacyConfidenceScore('consultation', 0.2)).toBe(0.5);
    expect(legacyConfidenceScore('consultation', 0.834)).toBe(0.83);
    expect(legacyConfidenceScore('self_care', 1)).toBe(1);
    expect(legacyConfidenceScore('self_care', undefined)).toBe(0.5);
    expect(legacyConfidenceScore('self_care', Number.NaN)).toBe(0.5);
  });

  it('is never 0 and always in (0, 1]; only emergencies read as critical', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...TRIAGE_LEVELS),
        fc.double({ min: -1, max: 2, noNaN: false }),
        (level, p) => {
          const score = legacyConfidenceScore(level, p);
          expect(score).toBeGreaterThan(0);
          expect(score).toBeLessThanOrEqual(1);
          const critical = severityFromConfidence(score) === 'critical';
          expect(critical).toBe(level === 'emergency' || level === 'emergency_ambulance');
        },
      ),
    );
  });

  it('maps the five levels onto urgency_level, emergencies → urgent', () => {
    expect(TRIAGE_LEVELS.map(urgencyLevel)).toEqual(['urgent', 'urgent', 'high', 'moderate', 'low']);
    expect(priceForUrgency(urgencyLevel('emergency')).amount).toBe(999);
    expect(priceForUrgency(urgencyLevel('self_care')).amount).toBe(299);
  });

  it('replicates the back end: a high-priority investigation means video, critical means emergency', () => {
    expect(consultationType('low', [{ priority: 'high' }])).toBe('video');
    expect(consultationType('low', [{ priority: 'medium' }])).toBe('chat');
    expect(consultationType('critical', [])).toBe('emergency');
  });
});
