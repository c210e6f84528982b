/// What an HDU's stored checksums say about it, judged as fitsverify judges them.
///
/// DATASUM covers the data alone, CHECKSUM the whole HDU. When DATASUM matches and CHECKSUM does not, only the
/// header changed after the sums were written: jwst does exactly that when it re-saves a file (it rewrites
/// keywords and keeps the old CHECKSUM). fitsverify calls that a warning, and so does Webbflow: the data are
/// intact. A DATASUM that does not match, or a CHECKSUM that does not match with no DATASUM to vouch for the data,
/// is corruption.
enum ChecksumVerdict: Equatable, Sendable {
    /// Neither checksum is stored (or verification was not asked for).
    case absent
    /// Both are stored and match.
    case verified
    /// The data match their DATASUM, the header does not match CHECKSUM: a header edited after the sums.
    case headerEdited
    /// One of the two is stored and matches, the other is absent.
    case partial

    /// Why an HDU is corrupted.
    struct Corruption: Error {
        let reason: String
    }

    /// The verdict from `ffvcks`'s codes for DATASUM and CHECKSUM (1 correct, 0 absent, −1 wrong).
    init(dataSum: Int32, checksum: Int32) throws(Corruption) {
        switch (dataSum, checksum) {
        case (-1, _): throw Corruption(reason: "DATASUM does not match the stored data")
        case (0, -1): throw Corruption(reason: "CHECKSUM does not match the stored bytes and there is no DATASUM")
        case (1, -1): self = .headerEdited
        case (1, 1): self = .verified
        case (0, 0): self = .absent
        default: self = .partial
        }
    }
}
