package app

import (
	"fmt"
	"slices"
	"strings"

	"tokentray/app/accounts"
	"tokentray/app/config"
	"tokentray/app/model"

	"github.com/google/uuid"
)

// AddAccount validates a new account as the accounts file does, stores its secrets in the keyring,
// then saves the accounts file; on any failure nothing is left behind. The id is made here.
func AddAccount(paths config.Paths, store Keyring, name, kind string, settings, secrets map[string]string) (config.Account, error) {
	cfg, err := config.LoadConfig(paths.Config)
	if err != nil {
		return config.Account{}, err
	}
	a := config.Account{ID: model.AccountID(uuid.NewString()), Name: strings.TrimSpace(name), Provider: kind, Settings: settings}
	if a.Settings == nil {
		a.Settings = map[string]string{}
	}
	if err := config.ValidateAccount(a, cfg.Accounts); err != nil {
		return config.Account{}, err
	}
	if err := config.CheckNewAccount(a, secrets, true); err != nil {
		return config.Account{}, err
	}
	for key := range secrets {
		if f, ok := a.Kind().Field(key); !ok || !f.Secret {
			return config.Account{}, &config.InvalidAccount{Key: key, Msg: fmt.Sprintf("%s has no secret %q", a.Kind().Title, key)}
		}
	}
	for key, v := range secrets {
		if err := store.Set(string(a.ID), key, v); err != nil {
			_ = store.DeleteAccount(string(a.ID))
			return config.Account{}, err
		}
	}
	cfg.Accounts = append(cfg.Accounts, a)
	if err := config.SaveConfig(paths.Config, cfg); err != nil {
		_ = store.DeleteAccount(string(a.ID))
		return config.Account{}, err
	}
	return a, nil
}

// RemoveAccount deletes every secret of the account, then drops it from the accounts file. The
// caller signs it out first, where it can.
func RemoveAccount(paths config.Paths, store Keyring, id model.AccountID) error {
	cfg, err := config.LoadConfig(paths.Config)
	if err != nil {
		return err
	}
	if _, ok := cfg.AccountByID(id); !ok {
		return accounts.ErrNoAccount
	}
	if err := store.DeleteAccount(string(id)); err != nil {
		return fmt.Errorf("could not delete the account's secrets, so it is kept: %w", err)
	}
	cfg.Accounts = slices.DeleteFunc(cfg.Accounts, func(a config.Account) bool { return a.ID == id })
	return config.SaveConfig(paths.Config, cfg)
}

// UpdateAccount changes an account's name and settings, and replaces the secrets given (an
// absent or empty secret is left as it is), validated as the accounts file is. The provider kind
// does not change: that is a new account.
func UpdateAccount(paths config.Paths, store Keyring, id model.AccountID, name string, settings, secrets map[string]string) error {
	cfg, err := config.LoadConfig(paths.Config)
	if err != nil {
		return err
	}
	i := slices.IndexFunc(cfg.Accounts, func(a config.Account) bool { return a.ID == id })
	if i < 0 {
		return accounts.ErrNoAccount
	}
	a := cfg.Accounts[i]
	a.Name, a.Settings = strings.TrimSpace(name), settings
	if a.Settings == nil {
		a.Settings = map[string]string{}
	}
	others := slices.Delete(slices.Clone(cfg.Accounts), i, i+1)
	if err := config.ValidateAccount(a, others); err != nil {
		return err
	}
	if err := config.CheckNewAccount(a, secrets, false); err != nil {
		return err
	}
	for key, v := range secrets {
		if f, ok := a.Kind().Field(key); !ok || !f.Secret {
			return &config.InvalidAccount{Key: key, Msg: fmt.Sprintf("%s has no secret %q", a.Kind().Title, key)}
		}
		if v != "" {
			if err := store.Set(string(id), key, v); err != nil {
				return err
			}
		}
	}
	cfg.Accounts[i] = a
	return config.SaveConfig(paths.Config, cfg)
}
