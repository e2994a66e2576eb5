package peer

import "golang.org/x/sys/windows"

// SameUser reports whether the process pid runs as this process's user. A process it may not
// look at (another user's, without an administrator's rights) is not.
func SameUser(pid uint32) bool {
	p, err := windows.OpenProcess(windows.PROCESS_QUERY_LIMITED_INFORMATION, false, pid)
	if err != nil {
		return false
	}
	defer windows.CloseHandle(p)
	var tok windows.Token
	if err := windows.OpenProcessToken(p, windows.TOKEN_QUERY, &tok); err != nil {
		return false
	}
	defer tok.Close()
	theirs, err := tok.GetTokenUser()
	if err != nil {
		return false
	}
	ours, err := windows.GetCurrentProcessToken().GetTokenUser()
	return err == nil && windows.EqualSid(theirs.User.Sid, ours.User.Sid)
}

// UserSID is this process's user, as an SDDL string (S-1-5-21-…).
func UserSID() (string, error) {
	u, err := windows.GetCurrentProcessToken().GetTokenUser()
	if err != nil {
		return "", err
	}
	return u.User.Sid.String(), nil
}
