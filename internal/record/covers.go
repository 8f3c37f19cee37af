package record

import "github.com/ftgate/ftgate/internal/detect"

// CoversConfig reports whether the record covers a config: its globs match the
// path, it names the file as its training set, or it covers the config that
// names the file. The decision register lists configs by this same test the
// trial uses.
func (r *Record) CoversConfig(c detect.Config) bool { return covers(r, c) }
