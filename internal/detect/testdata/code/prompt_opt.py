import dspy

lm = dspy.LM("openai/gpt-4o-mini")
dspy.configure(lm=lm)
program = dspy.ChainOfThought("question -> answer")
optimizer = dspy.MIPROv2(metric=lambda ex, pred, trace=None: ex.answer == pred.answer)
compiled = optimizer.compile(program, trainset=[])
