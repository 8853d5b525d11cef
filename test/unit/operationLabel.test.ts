import { expect, it } from 'vitest';
import { OperationLabels } from '../../src/observability/operationLabel.js';

it('keeps the first distinct operation names, then collapses new ones, and labels missing or odd names apart', () => {
  const labels = new OperationLabels(2);
  expect(labels.label('ListImages')).toBe('ListImages');
  expect(labels.label('GetImage')).toBe('GetImage');
  expect(labels.label('Third')).toBe('__other__');
  expect(labels.label('ListImages')).toBe('ListImages');
  expect(labels.label(undefined)).toBe('__anonymous__');
  expect(labels.label(null)).toBe('__anonymous__');
  expect(labels.label('')).toBe('__anonymous__');
  expect(labels.label('has space')).toBe('__invalid__');
  expect(labels.label(`A${'x'.repeat(64)}`)).toBe('__invalid__');
});
