extension SlitObservation.Frame {
    /// What jwst's barshadow step does to a slitlet it corrects: science and noiseless image divided by the
    /// correction, variances by its square (spectrograph order, like the frame).
    mutating func applyBarShadow(_ correction: [Float]) {
        for i in science.indices where correction[i] > 0 {
            let c = correction[i]
            science[i] /= c
            noiseless[i] /= c
            varPoisson[i] /= c * c
            varReadNoise[i] /= c * c
            varFlat[i] /= c * c
        }
    }
}
