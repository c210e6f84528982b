import Pipeline

extension IFUExposureBuilder {
    /// Pixel index of spatial offset `ds` and dispersion offset `dt` from (t, s), if it lies in a slice.
    private func slicePixel(t: Int, s: Int, regions: [Int32]) -> Int? {
        guard t >= 0, t < layout.dispersionLength, s >= 0, s < layout.spatialLength else { return nil }
        let i = layout.pixelIndex(t: t, s: s)
        return regions[i] > 0 ? i : nil
    }

    /// A random pixel inside a random slice: (dispersion index, spatial index).
    private func randomSlicePosition(_ random: inout SeededRandom) -> (t: Int, s: Int) {
        let slice = layout.slices[Int(random.uniform() * Double(layout.slices.count))]
        let t = slice.dispersionRange.lowerBound + Int(random.uniform() * Double(slice.dispersionRange.count))
        let c = slice.centre(at: Double(t), dispersionLength: layout.dispersionLength)
        let rows = rows(of: slice, centre: c)
        return (t, rows.lowerBound + Int(random.uniform() * Double(max(1, rows.count))))
    }

    /// Where the brightest source's core falls at the middle of the detector, if it lands on a slice.
    func traceCentre() -> (t: Int, s: Int)? {
        guard let source = scene.sources.max(by: { $0.flux < $1.flux }),
            let slice = layout.slices.min(by: { abs($0.skyIndex - source.sky) < abs($1.skyIndex - source.sky) })
        else { return nil }
        let t = layout.dispersionLength / 2 + 17
        let c = slice.centre(at: Double(t), dispersionLength: layout.dispersionLength)
        return (t, Int((c + source.alpha).rounded()))
    }

    /// Marks bad-pixel clusters (NaN + DO_NOT_USE) and cosmic-ray hits in the noisy image. Flagged hits become
    /// NaN + DO_NOT_USE + OUTLIER (what outlier detection leaves); unflagged ones stay in SCI. `cosmics` receives
    /// the energy each hit deposited.
    func applyDefects(
        regions: [Int32], sci: inout [Float], dq: inout [UInt32], cosmics: inout [Float],
        random: inout SeededRandom
    ) {
        func markBad(_ i: Int) {
            sci[i] = .nan
            dq[i] |= DataQuality.doNotUse.rawValue
        }
        for _ in 0..<defects.badClusters {
            let (t, s) = randomSlicePosition(&random)
            let size = 2 + Int(random.uniform() * 2)
            for dt in 0..<size { for ds in 0..<size { if let i = slicePixel(t: t + dt, s: s + ds, regions: regions) { markBad(i) } } }
        }
        if defects.clusterOnTrace, let (t, s) = traceCentre() {
            for dt in -1...1 { for ds in -1...1 { if let i = slicePixel(t: t + dt, s: s + ds, regions: regions) { markBad(i) } } }
        }
        for _ in 0..<defects.cosmicRays {
            let (t, s) = randomSlicePosition(&random)
            guard let i = slicePixel(t: t, s: s, regions: regions), sci[i].isFinite else { continue }
            let energy = Float(noise.readNoise * (50 + 450 * random.uniform()))
            cosmics[i] = energy
            if defects.cosmicRaysFlagged {
                markBad(i)
                dq[i] |= DataQuality.outlier.rawValue
            } else {
                sci[i] += energy
            }
        }
    }
}
