import { describe, expect, it } from 'vitest';
import { inspectorInUse } from '../../server-middleware/profiler/inspector-use.js';

describe('whether the CPU profiler is someone else’s', () => {
  it('is Loupe’s with no inspector open and no --cpu-prof', () => {
    expect(inspectorInUse([], '', undefined)).toBeNull();
    expect(inspectorInUse(['--cpu-prof-dir=/tmp'], '--max-old-space-size=100', undefined)).toBeNull();
  });

  it('is not with --cpu-prof on the command line or in NODE_OPTIONS, or an open inspector', () => {
    expect(inspectorInUse(['--cpu-prof'], '', undefined)).toMatch(/--cpu-prof/);
    expect(inspectorInUse([], '--enable-source-maps --cpu-prof', undefined)).toMatch(/--cpu-prof/);
    expect(inspectorInUse([], '', 'ws://127.0.0.1:9229/x')).toMatch(/inspector is open for a debugger \(ws:\/\/127\.0\.0\.1:9229\/x\)/);
  });
});
