import FITS

/// NSClean's sheet: the input, the cleaned image and what was removed, side by side under one stretch, and below
/// them each column's mean over its dark pixels before and after: the banding removed, made visible.
enum NSCleanSheet {
    static func draw(input: Image<Float>, cleaned: Image<Float>, on canvas: Canvas) {
        let stretch = cleaned.pixels.withUnsafeBufferPointer {
            ZScale(UnsafeBufferPointer(rebasing: $0.prefix(cleaned.width * cleaned.height)))
        }
        // The removed part is centred on zero with the same width of stretch, so its banding shows at the same contrast.
        let half = (stretch.high - stretch.low) / 2
        let removedStretch = ZScale(low: -half, high: half)
        let before = DisplayPlane(input, limit: 440), after = DisplayPlane(cleaned, limit: 440)
        // Block means are linear, and NaNs sit on the same pixels of both (NSClean keeps them), so the removed part's
        // blocks are the difference of the two others'.
        let removed = DisplayPlane(
            columns: after.columns, rows: after.rows, values: zip(before.values, after.values).map { $0 - $1 },
            block: after.block)
        let panels = [
            (before, "input SCI", stretch), (after, "cleaned SCI", stretch), (removed, "removed (input − cleaned)", removedStretch),
        ]
        for (i, panel) in panels.enumerated() {
            SheetCanvas.image(panel.0, on: canvas, x: 70 + Double(i) * 510, y: 110, size: 440, caption: panel.1, stretch: panel.2)
        }
        let (meansBefore, meansAfter) = darkColumnMeans(input: input, cleaned: cleaned, threshold: (stretch.low + stretch.high) / 2)
        let columns = (0..<cleaned.width).map(Double.init)
        let area = PlotArea(
            x: 110, y: 640, width: 1430, height: 280, xRange: 0...Double(max(1, cleaned.width - 1)),
            yRange: PlotArea.range(of: meansBefore + meansAfter, robust: true))
        area.drawAxes(
            on: canvas, xLabel: "column (x, pixels)", yLabel: "mean of dark pixels",
            title: "Column-averaged background before (orange) and after (blue) cleaning")
        canvas.line(area.points(columns, meansBefore), colour: .orange, lineWidth: 1)
        canvas.line(area.points(columns, meansAfter), colour: .blue, lineWidth: 1)
    }

    /// Each column's mean of the input and of the cleaned image over the pixels where the cleaned one is finite and
    /// below `threshold` (the background between the traces), on every fourth row: the banding is one offset per
    /// column, and 512 rows of a full frame already average the pixel noise down twenty-fold.
    static func darkColumnMeans(input: Image<Float>, cleaned: Image<Float>, threshold: Float) -> (before: [Double], after: [Double]) {
        let width = cleaned.width, height = cleaned.height
        var before = [Float](repeating: 0, count: width), after = before, counts = before
        input.pixels.withUnsafeBufferPointer { a in
            cleaned.pixels.withUnsafeBufferPointer { b in
                before.withUnsafeMutableBufferPointer { sumBefore in
                    after.withUnsafeMutableBufferPointer { sumAfter in
                        counts.withUnsafeMutableBufferPointer { count in
                            // Without branches, so that the row loop is vectorised.
                            for y in stride(from: 0, to: height, by: 4) {
                                let row = y * width
                                for x in 0..<width {
                                    let d = b[row + x], v = a[row + x], dark = d < threshold && v.isFinite
                                    sumBefore[x] += dark ? v : 0
                                    sumAfter[x] += dark ? d : 0
                                    count[x] += dark ? 1 : 0
                                }
                            }
                        }
                    }
                }
            }
        }
        let mean = { (sums: [Float]) in zip(sums, counts).map { $1 > 0 ? Double($0 / $1) : .nan } }
        return (mean(before), mean(after))
    }
}

extension ZScale {
    init(low: Float, high: Float) { (self.low, self.high) = (low, high) }
}
