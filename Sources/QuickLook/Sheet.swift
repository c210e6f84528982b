/// The kind of quick-look sheet a product gets, chosen by the step that made it (its manifest says which): the
/// picture shows what that step changed.
public enum Sheet: Sendable {
    /// Input, cleaned and removed background with one stretch, and the column residuals before and after.
    case cleanedImage
    /// A detector zoom of input against oversampled, and one column's profile with its model.
    case traceModel
    /// Flux against wavelength with errors and flags, per slit or source (x1d tables).
    case spectrum
    /// White-light images of the input and product cubes beside an image, and the brightest spaxel's spectra.
    case cube
    /// The SCI image, or the first table's first two numeric columns.
    case generic
}
