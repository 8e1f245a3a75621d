// The end-to-end harness: namespaces, the standard topology, traffic tools, a remote engine.
export * from './netns';
export * from './topology';
export * from './traffic';
export * from './remote-engine';
export * from './tcx';
