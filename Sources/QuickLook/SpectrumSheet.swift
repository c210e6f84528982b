import FITS

/// The x1d sheet: per extracted slit or source (up to four), flux against wavelength with its error band, samples
/// flagged in DQ marked, and the box extraction as a thin line where the product carries one.
enum SpectrumSheet {
    static func draw(product: [HDU], on canvas: Canvas) {
        let spectra = product.filter { $0.name == "EXTRACT1D" }.prefix(4)
        let height = (860.0 - Double(spectra.count - 1) * 40) / Double(max(1, spectra.count))
        for (i, hdu) in spectra.enumerated() {
            guard let table = hdu.table, let wavelength = table["WAVELENGTH"]?.data.doubles,
                let flux = table["FLUX"]?.data.doubles
            else { continue }
            let error = table["FLUX_ERROR"]?.data.doubles ?? wavelength.map { _ in .nan }
            let flagged = table["DQ"]?.data.doubles ?? []
            let box = boxFlux(for: hdu, in: product)
            let values = flux + zip(flux, error).flatMap { [$0 - $1, $0 + $1] } + (box ?? [])
            let area = PlotArea(
                x: 120, y: 110 + Double(i) * (height + 40), width: 1440, height: height - 40,
                xRange: PlotArea.range(of: wavelength), yRange: PlotArea.range(of: values, robust: true))
            let slit = [hdu.header.string("SLTNAME").map { "slit \($0)" }, hdu.header.integer("SOURCEID").map { "source \($0)" }]
                .compactMap { $0 }.joined(separator: ", ")
            area.drawAxes(
                on: canvas, xLabel: "wavelength (\(unit(table["WAVELENGTH"], or: "um")))",
                yLabel: "flux (\(unit(table["FLUX"], or: "Jy")))",
                title:
                    "EXTRACT1D \(hdu.version)\(slit.isEmpty ? "" : " — " + slit): flux ± error (blue band), box extraction (grey), DQ-flagged (red)"
            )
            let finite = wavelength.indices.filter { wavelength[$0].isFinite && flux[$0].isFinite && error[$0].isFinite }
            canvas.band(
                finite.map { area.px(wavelength[$0]) },
                lower: finite.map { area.py(max(flux[$0] - error[$0], area.yRange.lowerBound)) },
                upper: finite.map { area.py(min(flux[$0] + error[$0], area.yRange.upperBound)) }, colour: .band)
            if let box { canvas.line(area.points(wavelength, box), colour: .grey, lineWidth: 0.8) }
            canvas.line(area.points(wavelength, flux), colour: .blue, lineWidth: 1.3)
            let marks = flagged.indices.filter { flagged[$0] != 0 && wavelength[$0].isFinite && flux[$0].isFinite }
            canvas.dots(
                marks.map { (area.px(wavelength[$0]), area.py(min(max(flux[$0], area.yRange.lowerBound), area.yRange.upperBound))) },
                colour: .red)
        }
    }

    /// The box-extraction flux of the same slit, from whichever table of the product carries a BOX_FLUX column with
    /// this EXTVER (Webbflow writes it beside the jwst layout, never inside it).
    static func boxFlux(for spectrum: HDU, in product: [HDU]) -> [Double]? {
        product.lazy.filter { $0.version == spectrum.version }.compactMap { $0.table?["BOX_FLUX"]?.data.doubles }.first
    }

    static func unit(_ column: TableColumn?, or fallback: String) -> String {
        guard let unit = column?.unit, !unit.isEmpty else { return fallback }
        return unit
    }
}
