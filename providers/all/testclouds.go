//go:build !eipctl_fourth

package all

// testClouds are clouds registered only in test builds (fourth.go, built
// with -tags eipctl_fourth); a release has none.
var testClouds []Cloud
