// The agreement layer's public surface: pure functions, no DOM or Node APIs, usable in a Web Worker.
export type { AgreeJson, AgreementInput, AttributeAgreementJson, AttributeKey, Interval, LabelRating, ShapeMatchMode, ShapePairReport, ShapeRecord, ShapeSummary } from './types';
export { agreementDetails, agreementReport, toAgreeJson, type AgreementDetails } from './report';
export { labelAgreement, type LabelAgreement, type LabelAgreementOptions } from './labels';
export { attributeAgreement } from './attributes';
export { bootstrapIntervals, quantile, seededRandom, BOOTSTRAP_RESAMPLES, BOOTSTRAP_SEED, MAX_UNDEFINED_SHARE, MIN_IMAGES, type BootstrapOptions } from './bootstrap';
export { categoryValues, ratingTable, categoryCounts, type RatingTable } from './ratingTable';
export { cohenKappa, confusionMatrix, perClassAgreement, weightedKappa, type ClassAgreement, type ConfusionMatrix, type KappaWeights } from './cohen';
export { fleissKappaFromCounts, fleissKappaFromTotals } from './fleiss';
export { coincidenceMatrix, krippendorffAlphaFromCoincidence, krippendorffAlphaFromCounts, type AlphaMetric } from './krippendorff';
export { compareRaterShapes, shapeAgreement, summarise, DEFAULT_IOU_THRESHOLD, type RaterComparison, type ShapeMatch } from './shapeAgreement';
export { matchByCentroid, matchByIou, type ShapePairing } from './matchShapes';
export { diceFromIou, intersectionArea, iou, prepareShape, shapeIou, type PreparedShape } from './shapeArea';
export { agreedAttributes, consensusOutline, consensusShapes, majorityVote, shapeClusters, type ConsensusShape, type MajorityLabel, type ShapeCluster } from './consensus';
export { agreementInputFromProject, mergeAgreementInputs, type FromProjectOptions } from './fromProject';
