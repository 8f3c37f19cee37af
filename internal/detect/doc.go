// Package detect finds the training configs in a change: files that configure
// a fine-tuning (or language-model pretraining) run of a framework ftgate
// knows, with the base model and datasets they name.
//
// Every framework is a [Detector]: a declared value holding content
// signatures over key paths, the keys that name the base model and the
// datasets, the rules that make a config a pretraining config, and text
// signatures for files that do not parse. [Detectors] is the one list; there
// is no registration. A detector never looks at a file's directory, only at
// its name's extension and its content, so moving a config does not change
// whether it is gated.
//
// [File] judges one file from its name and first 64 KiB and does no I/O.
// [Detect] reads files through an [io/fs.FS] (a worktree, a git tree, a
// [testing/fstest.MapFS]), applies the repository's include and exclude
// globs, skips the records directory and resolves the backend files
// (DeepSpeed, accelerate, FSDP) a config references.
//
// Content is parsed into go.yaml.in/yaml/v3 nodes so that the base model
// keeps the line and column where it is written; JSON goes through
// encoding/json into the same node shape. A file that does not parse — a
// syntax error, a Helm or Go template, a custom YAML tag, an alias bomb — is
// matched against the detectors' text signatures instead, and a file with a
// NUL byte or invalid UTF-8 in its first 64 KiB is never a config.
package detect
