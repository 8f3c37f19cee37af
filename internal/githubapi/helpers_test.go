package githubapi

import (
	"errors"
	"io/fs"

	"github.com/google/go-github/v60/github"
)

type githubCommitFile struct{ Filename, Status, Previous string }

func (f githubCommitFile) commitFile() *github.CommitFile {
	return &github.CommitFile{Filename: &f.Filename, Status: &f.Status, PreviousFilename: &f.Previous}
}

func errorsIsNotExist(err error) bool { return errors.Is(err, fs.ErrNotExist) }
