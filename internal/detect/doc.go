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
// [File] judges one file from its name and content (configs, code and
// notebook sources whole up to [MaxFile], JSON and JSONL data on their first
// [MaxHead] bytes) and does no I/O. [Detect] reads files through an
// [io/fs.FS] (a worktree, a git tree, a [testing/fstest.MapFS]), applies the
// repository's include and exclude globs, skips the records directory,
// judges the config files launchers run whatever their names, resolves the
// backend files (DeepSpeed, accelerate, FSDP) a config references, and
// lists what it cannot judge (Git LFS pointers, submodules, files too large)
// as [Unjudged]. [Candidate] is the one case-insensitive test of a name
// that every caller shares.
//
// Python is read as tokens (tokenize: comments, strings, brackets,
// continuations, any line ending) and notebooks as Jupyter joins their
// cells; shell launchers are split into words by mvdan.cc/sh. One
// Aho-Corasick pass over the code signatures' words decides which lines a
// call's expression runs on.
//
// Content is parsed into go.yaml.in/yaml/v3 nodes so that the base model
// keeps the line and column where it is written; JSON goes through
// encoding/json into the same node shape. A file that does not parse — a
// syntax error, a Helm or Go template, a custom YAML tag, an alias bomb — is
// matched against the detectors' text signatures instead, and a file with a
// NUL byte or invalid UTF-8 in its first 64 KiB is never a config.
package detect
