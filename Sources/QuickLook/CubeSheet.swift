import FITS

/// The fused cube's sheet: the NIRSpec cube's white-light image, the fused one and a NIRCam image, all on the fused
/// cube's sky grid, and the spectrum of the brightest fused spaxel from both cubes.
enum CubeSheet {
    /// `image` is a NIRCam input's SCI and `filter` its filter (from its primary header).
    static func draw(product: [HDU], cube: HDU?, image: HDU?, filter: String?, on canvas: Canvas) {
        guard let fusedHDU = product.hdu(named: "SCI"), let fused = fusedHDU.image?.floats(), fused.axes.count == 3 else { return }
        let grid = CelestialGrid(header: fusedHDU.header, width: fused.width, height: fused.height)
        let fusedWhite = whiteLight(fused)
        var panels: [(Image<Float>, String)] = [(fusedWhite, "fused white light")]
        if let cube, let nirspec = cube.image?.floats(), nirspec.axes.count == 3,
            let onGrid = grid?.resample(whiteLight(nirspec), header: cube.header)
        {
            panels.insert((onGrid, "NIRSpec white light (input cube)"), at: 0)
        }
        if let image, let nircam = image.image?.floats(), let onGrid = grid?.resample(nircam.plane(0), header: image.header) {
            panels.append((onGrid, "NIRCam \(filter ?? "")"))
        }
        for (i, panel) in panels.enumerated() {
            let stretch = ZScale(panel.0.pixels)
            SheetCanvas.image(
                DisplayPlane(panel.0, limit: 400), on: canvas, x: 70 + Double(i) * 510, y: 120, size: 400,
                caption: panel.1, stretch: stretch)
        }
        let (bx, by) = brightest(fusedWhite)
        let wavelengths =
            (try? SpectralAxis.wavelengths(science: fusedHDU.header, hdus: product, planes: fused.planes))
            ?? (0..<fused.planes).map(Double.init)
        let fusedSpectrum = (0..<fused.planes).map { Double(fused.pixels[$0 * fused.width * fused.height + by * fused.width + bx]) }
        var series = [(fusedSpectrum, Colour.blue)]
        if let cube, let nirspec = cube.image?.floats(), nirspec.axes.count == 3, nirspec.planes == fused.planes,
            let (cx, cy) = grid?.pixel(of: bx, by, in: cube.header), (0..<nirspec.width).contains(cx), (0..<nirspec.height).contains(cy)
        {
            series.insert(
                (
                    (0..<nirspec.planes).map { Double(nirspec.pixels[$0 * nirspec.width * nirspec.height + cy * nirspec.width + cx]) },
                    .orange
                ), at: 0)
        }
        let area = PlotArea(
            x: 110, y: 620, width: 1450, height: 300, xRange: PlotArea.range(of: wavelengths),
            yRange: PlotArea.range(of: series.flatMap(\.0), robust: true))
        area.drawAxes(
            on: canvas, xLabel: "wavelength (µm)", yLabel: "SCI (\(fusedHDU.header.string("BUNIT") ?? ""))",
            title: "Brightest fused spaxel (\(bx), \(by)): fused (blue) and the NIRSpec spaxel under it (orange)")
        for (values, colour) in series { canvas.line(area.points(wavelengths, values), colour: colour) }
    }

    /// The mean over wavelength of every spaxel's finite values.
    static func whiteLight(_ cube: Image<Float>) -> Image<Float> {
        let n = cube.width * cube.height
        var sums = [Float](repeating: 0, count: n), counts = sums
        for k in 0..<cube.planes {
            for i in 0..<n where cube.pixels[k * n + i].isFinite { sums[i] += cube.pixels[k * n + i]; counts[i] += 1 }
        }
        return Image(axes: [cube.width, cube.height], pixels: zip(sums, counts).map { $1 > 0 ? $0 / $1 : .nan })
    }

    static func brightest(_ image: Image<Float>) -> (Int, Int) {
        var best: Float = -.infinity, at = (0, 0)
        for y in 0..<image.height {
            for x in 0..<image.width where image[x, y].isFinite && image[x, y] > best { best = image[x, y]; at = (x, y) }
        }
        return at
    }
}

/// The fused cube's celestial grid, for bringing other images onto it (nearest pixel: a picture, not a measurement).
struct CelestialGrid {
    let wcs: CelestialWCS
    let width: Int, height: Int
    let sky: [(ra: Double, dec: Double)]

    init?(header: Header, width: Int, height: Int) {
        guard let wcs = try? CelestialWCS(header: header) else { return nil }
        let centres = (0..<(width * height)).map { (x: Double($0 % width), y: Double($0 / width)) }
        guard let sky = try? wcs.world(pixels: centres) else { return nil }
        (self.wcs, self.width, self.height, self.sky) = (wcs, width, height, sky)
    }

    /// `image` (described by `header`'s celestial WCS) sampled at this grid's pixel centres.
    func resample(_ image: Image<Float>, header: Header) -> Image<Float>? {
        guard let other = try? CelestialWCS(header: header), let positions = try? other.pixels(world: sky) else { return nil }
        return Image(
            axes: [width, height],
            pixels: positions.map { p in
                let (x, y) = (Int(p.x.rounded()), Int(p.y.rounded()))
                return (0..<image.width).contains(x) && (0..<image.height).contains(y) ? image[x, y] : .nan
            })
    }

    /// The pixel of the image described by `header` under this grid's pixel (x, y).
    func pixel(of x: Int, _ y: Int, in header: Header) -> (Int, Int)? {
        guard let other = try? CelestialWCS(header: header), let p = try? other.pixels(world: [sky[y * width + x]]).first else {
            return nil
        }
        return (Int(p.x.rounded()), Int(p.y.rounded()))
    }
}
