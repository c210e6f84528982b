import Foundation

/// FITS bytes with the date cfitsio writes into the CHECKSUM and DATASUM comments blanked, and with it the CHECKSUM
/// value, which sums the date: two encodings may straddle a second. (Whether CHECKSUM is right is checked by
/// summing the HDUs.) Every 80-byte card of the file is looked at, so all its headers are blanked.
func undated(_ bytes: Data) -> Data {
    var copy = bytes
    for card in stride(from: copy.startIndex, to: copy.endIndex - 79, by: 80) {
        if copy[card..<card + 8].elementsEqual("CHECKSUM".utf8) {
            copy.replaceSubrange(card + 10..<card + 80, with: Data(repeating: 32, count: 70))
        } else if copy[card..<card + 8].elementsEqual("DATASUM ".utf8) {
            copy.replaceSubrange(card + 31..<card + 80, with: Data(repeating: 32, count: 49))
        }
    }
    return copy
}
