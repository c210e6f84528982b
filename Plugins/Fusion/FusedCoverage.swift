import Pipeline

/// What was measured at each voxel of the fused cube: its WMAP and DQ.
///
/// jwst's WMAP counts the detector pixels that fell into a voxel's region of interest. The fusion's inputs are
/// already-resampled products, so its honest counterpart counts the input samples that measure the voxel
/// directly: the NIRSpec cube value of its spaxel and channel (1 when valid; it is shared by the 3×3 fine pixels of
/// the spaxel) plus one for every fitted NIRCam image that covers the fine pixel and whose filter's half-power
/// band holds the channel. Every voxel is an estimate from all the data (the solve is global); WMAP says how
/// much was observed there, not how much went into it.
///
/// DQ: neither the NIRSpec spaxel in that channel nor any NIRCam image at that position → DO_NOT_USE +
/// NON_SCIENCE (SCI and ERR NaN, as jwst's cubes have there). The NIRSpec spaxel empty in that channel but an
/// image present (in any filter: the images shape every spectral component) → FLUX_ESTIMATED: the spectrum there
/// is carried in from the neighbouring spaxels, and ERR, which assumes data everywhere, understates its error.
struct FusedCoverage {
    let weights: [Float]
    let quality: [UInt32]

    /// `measured`: the cube's valid voxels (coarse grid, channel-major); `covered`: per image, its fine pixels with
    /// data; `bands`: per image, its half-power band (µm).
    init(measured: [Bool], width: Int, height: Int, wavelengths: [Double], covered: [[Bool]], bands: [ClosedRange<Double>]) {
        let fineWidth = FusedGrid.factor * width, fineHeight = FusedGrid.factor * height
        let finePlane = fineWidth * fineHeight, plane = width * height
        var weights = [Float](repeating: 0, count: finePlane * wavelengths.count)
        var quality = [UInt32](repeating: 0, count: weights.count)
        let imaged = (0..<finePlane).map { p in covered.contains { $0[p] } }
        for (l, lambda) in wavelengths.enumerated() {
            let images = bands.indices.filter { bands[$0].contains(lambda) }
            for y in 0..<fineHeight {
                for x in 0..<fineWidth {
                    let p = y * fineWidth + x
                    let cube = measured[l * plane + (y / FusedGrid.factor) * width + x / FusedGrid.factor]
                    weights[l * finePlane + p] = Float((cube ? 1 : 0) + images.filter { covered[$0][p] }.count)
                    if !cube && !imaged[p] {
                        quality[l * finePlane + p] = DataQuality([.doNotUse, .nonScience]).rawValue
                    } else if !cube {
                        quality[l * finePlane + p] = DataQuality.fluxEstimated.rawValue
                    }
                }
            }
        }
        self.weights = weights
        self.quality = quality
    }
}
