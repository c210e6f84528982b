import Pipeline

/// Extracts every slit set of an observation on its own: a slit without a source, too short for the PSF model or
/// otherwise unusable is skipped with its reason while the others are extracted; only when none can be extracted
/// does the step fail, with every reason.
enum MultiSlitExtraction {
    static func extract(_ inputs: [Exposure], options: ExtractionOptions, context: StepContext) throws(SlitExtractionError)
        -> (extracted: [ExtractedSlit], skipped: [String])
    {
        let grouped = SlitSets.group(inputs)
        var skipped = grouped.skipped
        var extracted: [ExtractedSlit] = []
        for set in grouped.sets {
            // Nods of one slit carry the same unit, but in MJy/sr their pixel areas differ slightly (by 0.04 % in
            // the CEERS MOS cut-outs); different units differ by orders of magnitude.
            let factors = set.slits.map(\.toJansky)
            guard factors.max()! <= 1.005 * factors.min()! else {
                skipped.append("\(set.label): inputs mix flux units (\(set.inputs.map(\.name.fileName).joined(separator: ", ")))")
                continue
            }
            do {
                let result = try SlitExtractor.extract(set.slits.map(\.frame), options: options)
                context.logger.info(
                    "asset: \(set.label), \(set.slits.count) dither(s), \(result.iterations) iterations, PSF a=\(result.psf.a) b=\(result.psf.b), reduced chi2 \(result.reducedChiSquare)"
                )
                extracted.append(ExtractedSlit(result: result, slits: set.slits, inputs: set.inputs))
            } catch {
                skipped.append("\(set.label): \(error.description)")
            }
        }
        for reason in skipped { context.logger.warning("asset: not extracted: \(reason)") }
        guard !extracted.isEmpty else { throw SlitExtractionError("no slit could be extracted: \(skipped.joined(separator: "; "))") }
        return (extracted, skipped)
    }
}
