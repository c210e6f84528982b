import FITS
import Foundation
import SystemPackage

/// A product begun from its step's outline (`ProductWriter.begin`) under a temporary name in its folder, with
/// the HDUs passed through unchanged already being written. `ProductWriter.write(_:…draft:)` finishes and places
/// it; a draft no product claimed is discarded.
public final class ProductDraft: Sendable {
    let folder: String
    let name: String
    let temporary: String
    let fits: FITSDraft

    init(folder: String, name: String, temporary: String, fits: FITSDraft) {
        self.folder = folder
        self.name = name
        self.temporary = temporary
        self.fits = fits
    }

    /// Waits for the early writes and removes the temporary file, unless the product was placed from it (it no
    /// longer exists under the temporary name then).
    public func discard() {
        fits.waitForEarlyWrites()
        try? FilePath(temporary).unlink()
    }
}
