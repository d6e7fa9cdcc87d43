// The whileTrue functions of s27-while-true.yml, for Artillery; Surge runs
// the same conditions as expressions (s27-while-true.surge.yml).
function qtyBelowFive(context, next) {
  return next(context.vars.qty < 5);
}

function fewerThanThree(context, next) {
  return next(context.vars.$loopCount < 3);
}

module.exports = { qtyBelowFive, fewerThanThree };
