// The documents of the extension's language features: task trees and tree tests, in every scheme
// (language features also work in untrusted and virtual workspaces, spec 4.4).
export const APFLOW_DOCUMENTS = [{ language: 'apflow' }, { language: 'apflow-test' }];
