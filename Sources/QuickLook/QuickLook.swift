import FITS

/// Quick-look pictures of products: one PNG sheet per product, of the kind its step chose, so that an astronomer
/// sees at a glance whether it looks right.
public enum QuickLook {
    /// The `sheet` of `product` (its HDUs as written; `inputs` the HDUs of the files it was made from) as PNG bytes.
    /// `fileName` and `step` title it. A product that lacks what its sheet shows gets the generic sheet.
    public static func png(product: [HDU], inputs: [[HDU]], sheet: Sheet, fileName: String, step: String) throws(QuickLookError) -> [UInt8]
    {
        let canvas = SheetCanvas.titled(fileName: fileName, primary: product.first?.header ?? Header(), step: step)
        let inputSCI = inputs.first?.hdu(named: "SCI")?.image?.floats()
        let productSCI = product.hdu(named: "SCI")?.image
        if sheet == .spectrum, product.contains(where: { $0.name == "EXTRACT1D" }) {
            SpectrumSheet.draw(product: product, on: canvas)
        } else if sheet == .cleanedImage, let input = inputSCI, let cleaned = productSCI?.floats(), input.axes == cleaned.axes {
            NSCleanSheet.draw(
                input: input.axes.count > 2 ? input.plane(0) : input, cleaned: cleaned.axes.count > 2 ? cleaned.plane(0) : cleaned,
                on: canvas)
        } else if sheet == .traceModel, let input = inputSCI, input.axes.count == 2 {
            TraceModelSheet.draw(input: input, product: product, on: canvas)
        } else if sheet == .cube, productSCI?.axes.count == 3 {
            let cube = inputs.lazy.compactMap { $0.hdu(named: "SCI") }.first { $0.image?.axes.count == 3 }
            let nircam = inputs.first { $0.hdu(named: "SCI")?.image?.axes.count == 2 }
            CubeSheet.draw(
                product: product, cube: cube, image: nircam?.hdu(named: "SCI"), filter: nircam?.first?.header.string("FILTER"),
                on: canvas)
        } else {
            GenericSheet.draw(product: product, on: canvas)
        }
        return try canvas.png()
    }
}
