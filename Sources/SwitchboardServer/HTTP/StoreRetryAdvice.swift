import SwitchboardStore

/// What to tell a client whose change the store did not confirm: "nothing changed" is true of
/// every store failure but one, a connection lost while `COMMIT` was under way, after which the
/// change may well have been kept (PostgreSQL).
func storeRetryAdvice(_ error: any Error) -> String {
    if let error = error as? StoreError, error.code == .outcomeUnknown {
        return "the connection to the database was lost while saving, so it may have been saved: look before retrying"
    }
    return "nothing changed, try again"
}
