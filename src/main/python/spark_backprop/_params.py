"""The Params of MultilayerPerceptronRegressor and its model: GENERATED from the Java
estimator by src/test/python/generate_params.py (test_params.py fails when they drift).
Do not edit by hand."""

from typing import Any, Dict

from pyspark import keyword_only
from pyspark.ml.param import Param, Params, TypeConverters
from pyspark.ml.regression import _PredictorParams

# Java's defaults, the same in Python (classic PySpark pushes Python's into Java).
DEFAULTS: Dict[str, Any] = {
    'aggregationDepth': 2,
    'batchSize': 200,
    'beta1': 0.9,
    'beta2': 0.999,
    'checkpointInterval': 10,
    'clipNorm': 0.0,
    'combineMode': 'ordered',
    'decayEvery': 100,
    'decayFactor': 0.5,
    'epsilon': 1e-08,
    'evalEvery': 1,
    'featuresCol': 'features',
    'handleInvalid': 'error',
    'hiddenActivation': 'relu',
    'labelCol': 'label',
    'lbfgsMemory': 7,
    'learningRateSchedule': 'constant',
    'localSteps': 0,
    'maxIter': 500,
    'minDelta': 0.0,
    'momentum': 0.0,
    'nesterov': False,
    'numPartitions': 0,
    'outputActivation': 'identity',
    'patience': 0,
    'powerT': 0.5,
    'precision': 'double',
    'predictionCol': 'prediction',
    'resume': False,
    'seed': 42,
    'solver': 'local-adam',
    'standardization': True,
    'standardizeLabel': True,
    'storageLevel': 'MEMORY_AND_DISK',
}


class _MultilayerPerceptronRegressorParams(_PredictorParams):
    """Params of MultilayerPerceptronRegressor and MultilayerPerceptronRegressionModel."""

    aggregationDepth: Param = Param(
        Params._dummy(),
        'aggregationDepth',
        "depth of the tree that combines the partitions' gradient sums (>= 1)",
        typeConverter=TypeConverters.toInt,
    )
    batchSize: Param = Param(
        Params._dummy(),
        'batchSize',
        'rows per mini-batch step of local-adam and local-sgd (>= 1; a partition with fewer rows takes them all)',
        typeConverter=TypeConverters.toInt,
    )
    beta1: Param = Param(
        Params._dummy(),
        'beta1',
        "Adam's decay of the first moment, in [0, 1)",
        typeConverter=TypeConverters.toFloat,
    )
    beta2: Param = Param(
        Params._dummy(),
        'beta2',
        "Adam's decay of the second moment, in [0, 1)",
        typeConverter=TypeConverters.toFloat,
    )
    blockSize: Param = Param(
        Params._dummy(),
        'blockSize',
        'rows per block of the BLAS kernel (>= 1); when not set: 1024 when every layer after the input is at most 8 wide, else 256',
        typeConverter=TypeConverters.toInt,
    )
    checkpointDir: Param = Param(
        Params._dummy(),
        'checkpointDir',
        'directory (any Hadoop path: hdfs://, s3a://, file:) for checkpoints of the weights, optimizer state and history; not set: none; not with l-bfgs',
        typeConverter=TypeConverters.toString,
    )
    checkpointInterval: Param = Param(
        Params._dummy(),
        'checkpointInterval',
        'write a checkpoint every k iterations (>= 1)',
        typeConverter=TypeConverters.toInt,
    )
    clipNorm: Param = Param(
        Params._dummy(),
        'clipNorm',
        'scale the gradient down to this norm when it is longer, before each step (>= 0; 0: no clipping; not with l-bfgs)',
        typeConverter=TypeConverters.toFloat,
    )
    combineMode: Param = Param(
        Params._dummy(),
        'combineMode',
        "ordered: a tree of fixed shape summed in partition order, bitwise reproducible; spark-tree: Spark's treeAggregate, in task completion order",
        typeConverter=TypeConverters.toString,
    )
    decayEvery: Param = Param(
        Params._dummy(),
        'decayEvery',
        "step decay's period in iterations (>= 1)",
        typeConverter=TypeConverters.toInt,
    )
    decayFactor: Param = Param(
        Params._dummy(),
        'decayFactor',
        "step decay's factor, in (0, 1]",
        typeConverter=TypeConverters.toFloat,
    )
    epsilon: Param = Param(
        Params._dummy(),
        'epsilon',
        "Adam's epsilon (> 0)",
        typeConverter=TypeConverters.toFloat,
    )
    evalEvery: Param = Param(
        Params._dummy(),
        'evalEvery',
        'compute the validation RMSE every k iterations (>= 1), and at the first',
        typeConverter=TypeConverters.toInt,
    )
    featuresCol: Param = Param(
        Params._dummy(),
        'featuresCol',
        'features column name',
        typeConverter=TypeConverters.toString,
    )
    handleInvalid: Param = Param(
        Params._dummy(),
        'handleInvalid',
        'rows with a null, NaN or infinite feature or label: error (refuse the data) or skip (leave them out)',
        typeConverter=TypeConverters.toString,
    )
    hiddenActivation: Param = Param(
        Params._dummy(),
        'hiddenActivation',
        'activation of the hidden layers: identity, sigmoid, tanh or relu; or a comma-separated list with one per hidden layer',
        typeConverter=TypeConverters.toString,
    )
    initialWeights: Param = Param(
        Params._dummy(),
        'initialWeights',
        "weights to start from, in the flat layout W[l][from][to] at offset(l) + (to - 1) * (in + 1) + from, biases at from = 0 (as model.json's flatWeights); when not set: seeded Glorot/He",
        typeConverter=TypeConverters.toVector,
    )
    labelCol: Param = Param(
        Params._dummy(),
        'labelCol',
        'label column name',
        typeConverter=TypeConverters.toString,
    )
    layers: Param = Param(
        Params._dummy(),
        'layers',
        "widths of all layers, input first and output last, as MLlib's layers, e.g. [10, 64, 64, 1]; the output width must be 1 (one label). Required",
        typeConverter=TypeConverters.toListInt,
    )
    lbfgsMemory: Param = Param(
        Params._dummy(),
        'lbfgsMemory',
        'L-BFGS correction pairs kept (>= 1)',
        typeConverter=TypeConverters.toInt,
    )
    learningRateSchedule: Param = Param(
        Params._dummy(),
        'learningRateSchedule',
        'the step size at iteration t: constant; invscaling: stepSize / t^powerT; step: stepSize * decayFactor^floor((t - 1) / decayEvery)',
        typeConverter=TypeConverters.toString,
    )
    localSteps: Param = Param(
        Params._dummy(),
        'localSteps',
        'mini-batch steps each partition takes per round of local-adam and local-sgd (>= 0; 0: one local epoch over its rows)',
        typeConverter=TypeConverters.toInt,
    )
    maxIter: Param = Param(
        Params._dummy(),
        'maxIter',
        'maximum number of iterations (>= 1)',
        typeConverter=TypeConverters.toInt,
    )
    minDelta: Param = Param(
        Params._dummy(),
        'minDelta',
        'the improvement of validation RMSE that counts for early stopping (>= 0)',
        typeConverter=TypeConverters.toFloat,
    )
    miniBatchFraction: Param = Param(
        Params._dummy(),
        'miniBatchFraction',
        "share of the rows in each iteration's Bernoulli sample, in (0, 1], for sgd and adam; when not set: 0.1 for sgd, 1 (full batch) for the others",
        typeConverter=TypeConverters.toFloat,
    )
    momentum: Param = Param(
        Params._dummy(),
        'momentum',
        'momentum mu of gd and sgd, in [0, 1) (0: none)',
        typeConverter=TypeConverters.toFloat,
    )
    nIterNoChange: Param = Param(
        Params._dummy(),
        'nIterNoChange',
        "stop when the objective was not below (1 - tol) x its best for this many iterations in a row (>= 0; 0: the relative change rule of tol); when not set: 20 for local-adam and local-sgd (whose objective, the mean loss of a round's mini-batches, is noisy), else 0",
        typeConverter=TypeConverters.toInt,
    )
    nesterov: Param = Param(
        Params._dummy(),
        'nesterov',
        "Nesterov's momentum instead of plain momentum (needs momentum > 0)",
        typeConverter=TypeConverters.toBoolean,
    )
    numPartitions: Param = Param(
        Params._dummy(),
        'numPartitions',
        "partitions of the cached blocks: 0 keeps the input's, or, when the input has more than 4 per core Spark reports, deals rows out to 4 per core (local-adam and local-sgd: always deals them out to one partition per core, each partition one share of the averaging); P > 0 deals rows out to P partitions in input order (>= 0; set it for the same partitions, and bits, on any cluster)",
        typeConverter=TypeConverters.toInt,
    )
    outputActivation: Param = Param(
        Params._dummy(),
        'outputActivation',
        'activation of the output layer: identity (regression), sigmoid, tanh or relu',
        typeConverter=TypeConverters.toString,
    )
    patience: Param = Param(
        Params._dummy(),
        'patience',
        'early stopping: stop after this many validation evaluations without an improvement of more than minDelta, keeping the best weights (>= 0; 0: off)',
        typeConverter=TypeConverters.toInt,
    )
    powerT: Param = Param(
        Params._dummy(),
        'powerT',
        "invscaling's power (>= 0)",
        typeConverter=TypeConverters.toFloat,
    )
    precision: Param = Param(
        Params._dummy(),
        'precision',
        "element type of the cached training blocks and of the training kernel: double, or float (half the memory, single-precision BLAS; each block's gradient is added into a double sum, and the weights, their update and the saved model stay double)",
        typeConverter=TypeConverters.toString,
    )
    predictionCol: Param = Param(
        Params._dummy(),
        'predictionCol',
        'prediction column name',
        typeConverter=TypeConverters.toString,
    )
    regParam: Param = Param(
        Params._dummy(),
        'regParam',
        'L2 penalty alpha (>= 0): J + alpha * sum W^2 over the weights, never the biases; when not set: 5 / n for local-adam and local-sgd (n the training rows: the weight of five rows, fading as the data grow), else 0',
        typeConverter=TypeConverters.toFloat,
    )
    resume: Param = Param(
        Params._dummy(),
        'resume',
        'continue from the newest checkpoint in checkpointDir, when there is one and it was written with the same settings and data',
        typeConverter=TypeConverters.toBoolean,
    )
    seed: Param = Param(
        Params._dummy(),
        'seed',
        'seed of the initial weights (Glorot uniform, He normal for relu layers) and of the mini-batch samples',
        typeConverter=TypeConverters.toInt,
    )
    solver: Param = Param(
        Params._dummy(),
        'solver',
        "gd: full-batch gradient descent; sgd: gradient descent on a Bernoulli sample of miniBatchFraction of the rows each iteration; adam: Adam (Kingma and Ba, 2015) on such samples (full batch by default); l-bfgs (or lbfgs): Breeze's L-BFGS, full batch; local-adam and local-sgd: rounds of local mini-batch steps (Adam, or sgd with momentum) in every partition over its own rows in a shuffled order, batchSize rows per step, one local epoch (or localSteps) per round, the partitions' weights then averaged (weighted by rows); one iteration is one round",
        typeConverter=TypeConverters.toString,
    )
    splitSeed: Param = Param(
        Params._dummy(),
        'splitSeed',
        "seed of validationFraction's split; when not set: seed",
        typeConverter=TypeConverters.toInt,
    )
    standardization: Param = Param(
        Params._dummy(),
        'standardization',
        'standardize the features to mean 0 and standard deviation 1 over the training rows (kept in the model, so predictions take raw features)',
        typeConverter=TypeConverters.toBoolean,
    )
    standardizeLabel: Param = Param(
        Params._dummy(),
        'standardizeLabel',
        "standardize the label likewise (predictions come back in the label's units)",
        typeConverter=TypeConverters.toBoolean,
    )
    stepSize: Param = Param(
        Params._dummy(),
        'stepSize',
        'learning rate of w -= stepSize * g (> 0); when not set: 0.1 for gd and sgd, 0.01 for adam and local-sgd, 0.003 for local-adam; not used by l-bfgs',
        typeConverter=TypeConverters.toFloat,
    )
    storageLevel: Param = Param(
        Params._dummy(),
        'storageLevel',
        "storage level of the cached blocks, e.g. MEMORY_AND_DISK (a table larger than the cluster's memory still trains), MEMORY_ONLY, MEMORY_AND_DISK_SER",
        typeConverter=TypeConverters.toString,
    )
    tol: Param = Param(
        Params._dummy(),
        'tol',
        "stop when the objective's relative change |J_t - J_(t-1)| / |J_(t-1)| falls below tol, or with nIterNoChange = k > 0 when J was not below (1 - tol) x its best for k iterations in a row (>= 0; 0: never); for l-bfgs, Breeze's convergence tolerance; when not set: 1e-4 for local-adam and local-sgd, else 0",
        typeConverter=TypeConverters.toFloat,
    )
    validationFraction: Param = Param(
        Params._dummy(),
        'validationFraction',
        "hold out this share of the rows for validation, in (0, 1), by a hash of (splitSeed, the row's values): the same rows whatever the partitioning; not set: no validation rows, unless validationIndicatorCol is set",
        typeConverter=TypeConverters.toFloat,
    )
    validationIndicatorCol: Param = Param(
        Params._dummy(),
        'validationIndicatorCol',
        "name of a boolean column, true for validation rows (as GBTRegressor's); not set: no validation rows, unless validationFraction is set",
        typeConverter=TypeConverters.toString,
    )
    weightCol: Param = Param(
        Params._dummy(),
        'weightCol',
        "weight column name (as MLlib's HasWeightCol): a numeric column of row weights >= 0; the objective becomes sum_i w_i L_i / sum_i w_i, standardization and metrics are weighted, a row of weight 0 contributes nothing; a null, NaN, infinite or negative weight is an invalid value (handleInvalid). If this is not set or empty, we treat all instance weights as 1.0",
        typeConverter=TypeConverters.toString,
    )

    def __init__(self, *args: Any):
        super().__init__(*args)
        self._setDefault(**DEFAULTS)

    def getAggregationDepth(self) -> Any:
        """The value of aggregationDepth set, else its default (KeyError: neither)."""
        return self.getOrDefault(self.aggregationDepth)

    def getBatchSize(self) -> Any:
        """The value of batchSize set, else its default (KeyError: neither)."""
        return self.getOrDefault(self.batchSize)

    def getBeta1(self) -> Any:
        """The value of beta1 set, else its default (KeyError: neither)."""
        return self.getOrDefault(self.beta1)

    def getBeta2(self) -> Any:
        """The value of beta2 set, else its default (KeyError: neither)."""
        return self.getOrDefault(self.beta2)

    def getBlockSize(self) -> Any:
        """The value of blockSize set, else its default (KeyError: neither)."""
        return self.getOrDefault(self.blockSize)

    def getCheckpointDir(self) -> Any:
        """The value of checkpointDir set, else its default (KeyError: neither)."""
        return self.getOrDefault(self.checkpointDir)

    def getCheckpointInterval(self) -> Any:
        """The value of checkpointInterval set, else its default (KeyError: neither)."""
        return self.getOrDefault(self.checkpointInterval)

    def getClipNorm(self) -> Any:
        """The value of clipNorm set, else its default (KeyError: neither)."""
        return self.getOrDefault(self.clipNorm)

    def getCombineMode(self) -> Any:
        """The value of combineMode set, else its default (KeyError: neither)."""
        return self.getOrDefault(self.combineMode)

    def getDecayEvery(self) -> Any:
        """The value of decayEvery set, else its default (KeyError: neither)."""
        return self.getOrDefault(self.decayEvery)

    def getDecayFactor(self) -> Any:
        """The value of decayFactor set, else its default (KeyError: neither)."""
        return self.getOrDefault(self.decayFactor)

    def getEpsilon(self) -> Any:
        """The value of epsilon set, else its default (KeyError: neither)."""
        return self.getOrDefault(self.epsilon)

    def getEvalEvery(self) -> Any:
        """The value of evalEvery set, else its default (KeyError: neither)."""
        return self.getOrDefault(self.evalEvery)

    def getFeaturesCol(self) -> Any:
        """The value of featuresCol set, else its default (KeyError: neither)."""
        return self.getOrDefault(self.featuresCol)

    def getHandleInvalid(self) -> Any:
        """The value of handleInvalid set, else its default (KeyError: neither)."""
        return self.getOrDefault(self.handleInvalid)

    def getHiddenActivation(self) -> Any:
        """The value of hiddenActivation set, else its default (KeyError: neither)."""
        return self.getOrDefault(self.hiddenActivation)

    def getInitialWeights(self) -> Any:
        """The value of initialWeights set, else its default (KeyError: neither)."""
        return self.getOrDefault(self.initialWeights)

    def getLabelCol(self) -> Any:
        """The value of labelCol set, else its default (KeyError: neither)."""
        return self.getOrDefault(self.labelCol)

    def getLayers(self) -> Any:
        """The value of layers set, else its default (KeyError: neither)."""
        return self.getOrDefault(self.layers)

    def getLbfgsMemory(self) -> Any:
        """The value of lbfgsMemory set, else its default (KeyError: neither)."""
        return self.getOrDefault(self.lbfgsMemory)

    def getLearningRateSchedule(self) -> Any:
        """The value of learningRateSchedule set, else its default (KeyError: neither)."""
        return self.getOrDefault(self.learningRateSchedule)

    def getLocalSteps(self) -> Any:
        """The value of localSteps set, else its default (KeyError: neither)."""
        return self.getOrDefault(self.localSteps)

    def getMaxIter(self) -> Any:
        """The value of maxIter set, else its default (KeyError: neither)."""
        return self.getOrDefault(self.maxIter)

    def getMinDelta(self) -> Any:
        """The value of minDelta set, else its default (KeyError: neither)."""
        return self.getOrDefault(self.minDelta)

    def getMiniBatchFraction(self) -> Any:
        """The value of miniBatchFraction set, else its default (KeyError: neither)."""
        return self.getOrDefault(self.miniBatchFraction)

    def getMomentum(self) -> Any:
        """The value of momentum set, else its default (KeyError: neither)."""
        return self.getOrDefault(self.momentum)

    def getNIterNoChange(self) -> Any:
        """The value of nIterNoChange set, else its default (KeyError: neither)."""
        return self.getOrDefault(self.nIterNoChange)

    def getNesterov(self) -> Any:
        """The value of nesterov set, else its default (KeyError: neither)."""
        return self.getOrDefault(self.nesterov)

    def getNumPartitions(self) -> Any:
        """The value of numPartitions set, else its default (KeyError: neither)."""
        return self.getOrDefault(self.numPartitions)

    def getOutputActivation(self) -> Any:
        """The value of outputActivation set, else its default (KeyError: neither)."""
        return self.getOrDefault(self.outputActivation)

    def getPatience(self) -> Any:
        """The value of patience set, else its default (KeyError: neither)."""
        return self.getOrDefault(self.patience)

    def getPowerT(self) -> Any:
        """The value of powerT set, else its default (KeyError: neither)."""
        return self.getOrDefault(self.powerT)

    def getPrecision(self) -> Any:
        """The value of precision set, else its default (KeyError: neither)."""
        return self.getOrDefault(self.precision)

    def getPredictionCol(self) -> Any:
        """The value of predictionCol set, else its default (KeyError: neither)."""
        return self.getOrDefault(self.predictionCol)

    def getRegParam(self) -> Any:
        """The value of regParam set, else its default (KeyError: neither)."""
        return self.getOrDefault(self.regParam)

    def getResume(self) -> Any:
        """The value of resume set, else its default (KeyError: neither)."""
        return self.getOrDefault(self.resume)

    def getSeed(self) -> Any:
        """The value of seed set, else its default (KeyError: neither)."""
        return self.getOrDefault(self.seed)

    def getSolver(self) -> Any:
        """The value of solver set, else its default (KeyError: neither)."""
        return self.getOrDefault(self.solver)

    def getSplitSeed(self) -> Any:
        """The value of splitSeed set, else its default (KeyError: neither)."""
        return self.getOrDefault(self.splitSeed)

    def getStandardization(self) -> Any:
        """The value of standardization set, else its default (KeyError: neither)."""
        return self.getOrDefault(self.standardization)

    def getStandardizeLabel(self) -> Any:
        """The value of standardizeLabel set, else its default (KeyError: neither)."""
        return self.getOrDefault(self.standardizeLabel)

    def getStepSize(self) -> Any:
        """The value of stepSize set, else its default (KeyError: neither)."""
        return self.getOrDefault(self.stepSize)

    def getStorageLevel(self) -> Any:
        """The value of storageLevel set, else its default (KeyError: neither)."""
        return self.getOrDefault(self.storageLevel)

    def getTol(self) -> Any:
        """The value of tol set, else its default (KeyError: neither)."""
        return self.getOrDefault(self.tol)

    def getValidationFraction(self) -> Any:
        """The value of validationFraction set, else its default (KeyError: neither)."""
        return self.getOrDefault(self.validationFraction)

    def getValidationIndicatorCol(self) -> Any:
        """The value of validationIndicatorCol set, else its default (KeyError: neither)."""
        return self.getOrDefault(self.validationIndicatorCol)

    def getWeightCol(self) -> Any:
        """The value of weightCol set, else its default (KeyError: neither)."""
        return self.getOrDefault(self.weightCol)


class _MultilayerPerceptronRegressorSetters(Params):
    """setParams and a setter per Param, for the estimator."""

    @keyword_only
    def setParams(
        self,
        *,
        aggregationDepth: Any = 2,
        batchSize: Any = 200,
        beta1: Any = 0.9,
        beta2: Any = 0.999,
        blockSize: Any = None,
        checkpointDir: Any = None,
        checkpointInterval: Any = 10,
        clipNorm: Any = 0.0,
        combineMode: Any = 'ordered',
        decayEvery: Any = 100,
        decayFactor: Any = 0.5,
        epsilon: Any = 1e-08,
        evalEvery: Any = 1,
        featuresCol: Any = 'features',
        handleInvalid: Any = 'error',
        hiddenActivation: Any = 'relu',
        initialWeights: Any = None,
        labelCol: Any = 'label',
        layers: Any = None,
        lbfgsMemory: Any = 7,
        learningRateSchedule: Any = 'constant',
        localSteps: Any = 0,
        maxIter: Any = 500,
        minDelta: Any = 0.0,
        miniBatchFraction: Any = None,
        momentum: Any = 0.0,
        nIterNoChange: Any = None,
        nesterov: Any = False,
        numPartitions: Any = 0,
        outputActivation: Any = 'identity',
        patience: Any = 0,
        powerT: Any = 0.5,
        precision: Any = 'double',
        predictionCol: Any = 'prediction',
        regParam: Any = None,
        resume: Any = False,
        seed: Any = 42,
        solver: Any = 'local-adam',
        splitSeed: Any = None,
        standardization: Any = True,
        standardizeLabel: Any = True,
        stepSize: Any = None,
        storageLevel: Any = 'MEMORY_AND_DISK',
        tol: Any = None,
        validationFraction: Any = None,
        validationIndicatorCol: Any = None,
        weightCol: Any = None,
    ) -> Any:
        """Sets the Params given by keyword; returns self."""
        kwargs = self._input_kwargs
        return self._set(**kwargs)

    def setAggregationDepth(self, value: Any) -> Any:
        """Sets aggregationDepth; returns self."""
        return self._set(aggregationDepth=value)

    def setBatchSize(self, value: Any) -> Any:
        """Sets batchSize; returns self."""
        return self._set(batchSize=value)

    def setBeta1(self, value: Any) -> Any:
        """Sets beta1; returns self."""
        return self._set(beta1=value)

    def setBeta2(self, value: Any) -> Any:
        """Sets beta2; returns self."""
        return self._set(beta2=value)

    def setBlockSize(self, value: Any) -> Any:
        """Sets blockSize; returns self."""
        return self._set(blockSize=value)

    def setCheckpointDir(self, value: Any) -> Any:
        """Sets checkpointDir; returns self."""
        return self._set(checkpointDir=value)

    def setCheckpointInterval(self, value: Any) -> Any:
        """Sets checkpointInterval; returns self."""
        return self._set(checkpointInterval=value)

    def setClipNorm(self, value: Any) -> Any:
        """Sets clipNorm; returns self."""
        return self._set(clipNorm=value)

    def setCombineMode(self, value: Any) -> Any:
        """Sets combineMode; returns self."""
        return self._set(combineMode=value)

    def setDecayEvery(self, value: Any) -> Any:
        """Sets decayEvery; returns self."""
        return self._set(decayEvery=value)

    def setDecayFactor(self, value: Any) -> Any:
        """Sets decayFactor; returns self."""
        return self._set(decayFactor=value)

    def setEpsilon(self, value: Any) -> Any:
        """Sets epsilon; returns self."""
        return self._set(epsilon=value)

    def setEvalEvery(self, value: Any) -> Any:
        """Sets evalEvery; returns self."""
        return self._set(evalEvery=value)

    def setFeaturesCol(self, value: Any) -> Any:
        """Sets featuresCol; returns self."""
        return self._set(featuresCol=value)

    def setHandleInvalid(self, value: Any) -> Any:
        """Sets handleInvalid; returns self."""
        return self._set(handleInvalid=value)

    def setHiddenActivation(self, value: Any) -> Any:
        """Sets hiddenActivation; returns self."""
        return self._set(hiddenActivation=value)

    def setInitialWeights(self, value: Any) -> Any:
        """Sets initialWeights; returns self."""
        return self._set(initialWeights=value)

    def setLabelCol(self, value: Any) -> Any:
        """Sets labelCol; returns self."""
        return self._set(labelCol=value)

    def setLayers(self, value: Any) -> Any:
        """Sets layers; returns self."""
        return self._set(layers=value)

    def setLbfgsMemory(self, value: Any) -> Any:
        """Sets lbfgsMemory; returns self."""
        return self._set(lbfgsMemory=value)

    def setLearningRateSchedule(self, value: Any) -> Any:
        """Sets learningRateSchedule; returns self."""
        return self._set(learningRateSchedule=value)

    def setLocalSteps(self, value: Any) -> Any:
        """Sets localSteps; returns self."""
        return self._set(localSteps=value)

    def setMaxIter(self, value: Any) -> Any:
        """Sets maxIter; returns self."""
        return self._set(maxIter=value)

    def setMinDelta(self, value: Any) -> Any:
        """Sets minDelta; returns self."""
        return self._set(minDelta=value)

    def setMiniBatchFraction(self, value: Any) -> Any:
        """Sets miniBatchFraction; returns self."""
        return self._set(miniBatchFraction=value)

    def setMomentum(self, value: Any) -> Any:
        """Sets momentum; returns self."""
        return self._set(momentum=value)

    def setNIterNoChange(self, value: Any) -> Any:
        """Sets nIterNoChange; returns self."""
        return self._set(nIterNoChange=value)

    def setNesterov(self, value: Any) -> Any:
        """Sets nesterov; returns self."""
        return self._set(nesterov=value)

    def setNumPartitions(self, value: Any) -> Any:
        """Sets numPartitions; returns self."""
        return self._set(numPartitions=value)

    def setOutputActivation(self, value: Any) -> Any:
        """Sets outputActivation; returns self."""
        return self._set(outputActivation=value)

    def setPatience(self, value: Any) -> Any:
        """Sets patience; returns self."""
        return self._set(patience=value)

    def setPowerT(self, value: Any) -> Any:
        """Sets powerT; returns self."""
        return self._set(powerT=value)

    def setPrecision(self, value: Any) -> Any:
        """Sets precision; returns self."""
        return self._set(precision=value)

    def setPredictionCol(self, value: Any) -> Any:
        """Sets predictionCol; returns self."""
        return self._set(predictionCol=value)

    def setRegParam(self, value: Any) -> Any:
        """Sets regParam; returns self."""
        return self._set(regParam=value)

    def setResume(self, value: Any) -> Any:
        """Sets resume; returns self."""
        return self._set(resume=value)

    def setSeed(self, value: Any) -> Any:
        """Sets seed; returns self."""
        return self._set(seed=value)

    def setSolver(self, value: Any) -> Any:
        """Sets solver; returns self."""
        return self._set(solver=value)

    def setSplitSeed(self, value: Any) -> Any:
        """Sets splitSeed; returns self."""
        return self._set(splitSeed=value)

    def setStandardization(self, value: Any) -> Any:
        """Sets standardization; returns self."""
        return self._set(standardization=value)

    def setStandardizeLabel(self, value: Any) -> Any:
        """Sets standardizeLabel; returns self."""
        return self._set(standardizeLabel=value)

    def setStepSize(self, value: Any) -> Any:
        """Sets stepSize; returns self."""
        return self._set(stepSize=value)

    def setStorageLevel(self, value: Any) -> Any:
        """Sets storageLevel; returns self."""
        return self._set(storageLevel=value)

    def setTol(self, value: Any) -> Any:
        """Sets tol; returns self."""
        return self._set(tol=value)

    def setValidationFraction(self, value: Any) -> Any:
        """Sets validationFraction; returns self."""
        return self._set(validationFraction=value)

    def setValidationIndicatorCol(self, value: Any) -> Any:
        """Sets validationIndicatorCol; returns self."""
        return self._set(validationIndicatorCol=value)

    def setWeightCol(self, value: Any) -> Any:
        """Sets weightCol; returns self."""
        return self._set(weightCol=value)
