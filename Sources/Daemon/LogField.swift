/// The structured fields every daemon log entry may carry. They are journald field names as they are
/// (upper case, digits and underscore), so `journalctl -u webbflow WEBBFLOW_STEP=atm` finds them, and the
/// stderr backend prints them unchanged.
public enum LogField {
    public static let file = "WEBBFLOW_FILE"
    public static let step = "WEBBFLOW_STEP"
    public static let outcome = "WEBBFLOW_OUTCOME"
    public static let durationMicroseconds = "WEBBFLOW_DURATION_USEC"
    public static let product = "WEBBFLOW_PRODUCT"
    public static let group = "WEBBFLOW_GROUP"
    public static let job = "WEBBFLOW_JOB"
    public static let attempt = "WEBBFLOW_ATTEMPT"
    public static let skipReason = "WEBBFLOW_SKIP_REASON"
    public static let progress = "WEBBFLOW_PROGRESS"
    public static let exposureType = "JWST_EXP_TYPE"
    public static let program = "JWST_PROGRAM"
}
