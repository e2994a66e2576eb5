package accounts

import (
	"context"
	"fmt"
	"path/filepath"
	"time"

	"github.com/gofrs/flock"

	"tokentray/app/ipc"
	"tokentray/app/model"
)

// AccountLocks returns a lock function over files in dir, one per account: the app and every
// `tokentray` process take it before renewing an account, so two processes never refresh (and
// rotate) the same refresh token at once. gofrs/flock gives the same advisory lock on Linux,
// macOS and Windows.
func AccountLocks(dir string) func(id model.AccountID) (func(), error) {
	return func(id model.AccountID) (func(), error) {
		if err := ipc.MakePrivate(dir); err != nil {
			return nil, err
		}
		l := flock.New(filepath.Join(dir, string(id)+".lock"))
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		ok, err := l.TryLockContext(ctx, 10*time.Millisecond)
		if err != nil || !ok {
			return nil, fmt.Errorf("could not lock the account for renewal: %v", err)
		}
		return func() { _ = l.Unlock() }, nil
	}
}
