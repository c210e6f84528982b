import Numerics

/// The simulated chromatic PSF across the slit: the same pixel-integrated law the extraction fits.
public typealias SlitPSFLaw = ChromaticProfile
