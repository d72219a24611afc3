// The agreement layer's public surface: pure functions, no DOM or Node APIs, usable in a Web Worker.
export type { AgreeJson, AgreementInput, LabelRating, ShapeMatchMode, ShapePairReport, ShapeRecord, ShapeSummary } from './types';
export { agreementDetails, agreementReport, toAgreeJson, type AgreementDetails } from './report';
export { labelAgreement, type LabelAgreement } from './labels';
export { categoryValues, ratingTable, categoryCounts, type RatingTable } from './ratingTable';
export { cohenKappa, confusionMatrix, perClassAgreement, weightedKappa, type ClassAgreement, type ConfusionMatrix, type KappaWeights } from './cohen';
export { fleissKappaFromCounts } from './fleiss';
export { coincidenceMatrix, krippendorffAlphaFromCounts, type AlphaMetric } from './krippendorff';
export { compareRaterShapes, shapeAgreement, summarise, DEFAULT_IOU_THRESHOLD, type RaterComparison, type ShapeMatch } from './shapeAgreement';
export { matchByCentroid, matchByIou, type ShapePairing } from './matchShapes';
export { diceFromIou, intersectionArea, iou, prepareShape, shapeIou, type PreparedShape } from './shapeArea';
export { agreedAttributes, consensusOutline, consensusShapes, majorityVote, shapeClusters, type ConsensusShape, type MajorityLabel, type ShapeCluster } from './consensus';
export { agreementInputFromProject, mergeAgreementInputs, type FromProjectOptions } from './fromProject';
