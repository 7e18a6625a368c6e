/// The store as the pipeline sees it: read-only. The daemon implements it over SQLite, a dry run
/// over the same store without writing, tests over dictionaries. Steps that need more facts of
/// the store (loads, history) add requirements here rather than reading the store themselves.
public protocol PipelineView: ThreadLookup {}
