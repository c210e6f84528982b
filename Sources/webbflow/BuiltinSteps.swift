import AdaptiveTraceModel
import Fusion
import NSClean
import Pipeline
import SlitExtraction

/// The steps compiled into this executable. This is the only place that names the plugins.
enum BuiltinSteps {
    static var registry: StepRegistry {
        StepRegistry([
            NSCleanStep(),
            AdaptiveTraceModelStep(),
            AssetStep(),
            SyFuStep(),
        ])
    }
}
